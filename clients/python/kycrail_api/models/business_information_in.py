from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.country_code import CountryCode
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BusinessInformationIn")



@_attrs_define
class BusinessInformationIn:
    """ 
        Attributes:
            legal_name (str): In Unicode NFC once stored; no control or bidirectional control character, and combining marks
                only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            entity_type (None | str | Unset):
            incorporation_country (CountryCode | None | Unset):
            registration_number (None | str | Unset):
            trade_name (None | str | Unset):
            website (None | str | Unset):
     """

    legal_name: str
    entity_type: None | str | Unset = UNSET
    incorporation_country: CountryCode | None | Unset = UNSET
    registration_number: None | str | Unset = UNSET
    trade_name: None | str | Unset = UNSET
    website: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        legal_name = self.legal_name

        entity_type: None | str | Unset
        if isinstance(self.entity_type, Unset):
            entity_type = UNSET
        else:
            entity_type = self.entity_type

        incorporation_country: None | str | Unset
        if isinstance(self.incorporation_country, Unset):
            incorporation_country = UNSET
        elif isinstance(self.incorporation_country, CountryCode):
            incorporation_country = self.incorporation_country.value
        else:
            incorporation_country = self.incorporation_country

        registration_number: None | str | Unset
        if isinstance(self.registration_number, Unset):
            registration_number = UNSET
        else:
            registration_number = self.registration_number

        trade_name: None | str | Unset
        if isinstance(self.trade_name, Unset):
            trade_name = UNSET
        else:
            trade_name = self.trade_name

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "legalName": legal_name,
        })
        if entity_type is not UNSET:
            field_dict["entityType"] = entity_type
        if incorporation_country is not UNSET:
            field_dict["incorporationCountry"] = incorporation_country
        if registration_number is not UNSET:
            field_dict["registrationNumber"] = registration_number
        if trade_name is not UNSET:
            field_dict["tradeName"] = trade_name
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        legal_name = d.pop("legalName")

        def _parse_entity_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_type = _parse_entity_type(d.pop("entityType", UNSET))


        def _parse_incorporation_country(data: object) -> CountryCode | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                incorporation_country_type_0 = CountryCode(data)



                return incorporation_country_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CountryCode | None | Unset, data)

        incorporation_country = _parse_incorporation_country(d.pop("incorporationCountry", UNSET))


        def _parse_registration_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        registration_number = _parse_registration_number(d.pop("registrationNumber", UNSET))


        def _parse_trade_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        trade_name = _parse_trade_name(d.pop("tradeName", UNSET))


        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))


        business_information_in = cls(
            legal_name=legal_name,
            entity_type=entity_type,
            incorporation_country=incorporation_country,
            registration_number=registration_number,
            trade_name=trade_name,
            website=website,
        )

        return business_information_in

