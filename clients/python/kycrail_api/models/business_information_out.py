from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="BusinessInformationOut")



@_attrs_define
class BusinessInformationOut:
    """ 
        Attributes:
            entity_type (None | str):
            incorporation_country (None | str):
            legal_name (str):
            registration_number (None | str):
            trade_name (None | str):
            website (None | str):
     """

    entity_type: None | str
    incorporation_country: None | str
    legal_name: str
    registration_number: None | str
    trade_name: None | str
    website: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        entity_type: None | str
        entity_type = self.entity_type

        incorporation_country: None | str
        incorporation_country = self.incorporation_country

        legal_name = self.legal_name

        registration_number: None | str
        registration_number = self.registration_number

        trade_name: None | str
        trade_name = self.trade_name

        website: None | str
        website = self.website


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entityType": entity_type,
            "incorporationCountry": incorporation_country,
            "legalName": legal_name,
            "registrationNumber": registration_number,
            "tradeName": trade_name,
            "website": website,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_entity_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entity_type = _parse_entity_type(d.pop("entityType"))


        def _parse_incorporation_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        incorporation_country = _parse_incorporation_country(d.pop("incorporationCountry"))


        legal_name = d.pop("legalName")

        def _parse_registration_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        registration_number = _parse_registration_number(d.pop("registrationNumber"))


        def _parse_trade_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        trade_name = _parse_trade_name(d.pop("tradeName"))


        def _parse_website(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        website = _parse_website(d.pop("website"))


        business_information_out = cls(
            entity_type=entity_type,
            incorporation_country=incorporation_country,
            legal_name=legal_name,
            registration_number=registration_number,
            trade_name=trade_name,
            website=website,
        )


        business_information_out.additional_properties = d
        return business_information_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
