from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.country_code import CountryCode
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ResidentialAddressIn")



@_attrs_define
class ResidentialAddressIn:
    """ 
        Attributes:
            city (str):
            country (CountryCode):
            street_line_1 (str):
            postal_code (None | str | Unset):
            state (None | str | Unset):
            street_line_2 (None | str | Unset):
     """

    city: str
    country: CountryCode
    street_line_1: str
    postal_code: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    street_line_2: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        city = self.city

        country = self.country.value

        street_line_1 = self.street_line_1

        postal_code: None | str | Unset
        if isinstance(self.postal_code, Unset):
            postal_code = UNSET
        else:
            postal_code = self.postal_code

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        street_line_2: None | str | Unset
        if isinstance(self.street_line_2, Unset):
            street_line_2 = UNSET
        else:
            street_line_2 = self.street_line_2


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "city": city,
            "country": country,
            "streetLine1": street_line_1,
        })
        if postal_code is not UNSET:
            field_dict["postalCode"] = postal_code
        if state is not UNSET:
            field_dict["state"] = state
        if street_line_2 is not UNSET:
            field_dict["streetLine2"] = street_line_2

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        city = d.pop("city")

        country = CountryCode(d.pop("country"))




        street_line_1 = d.pop("streetLine1")

        def _parse_postal_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        postal_code = _parse_postal_code(d.pop("postalCode", UNSET))


        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))


        def _parse_street_line_2(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        street_line_2 = _parse_street_line_2(d.pop("streetLine2", UNSET))


        residential_address_in = cls(
            city=city,
            country=country,
            street_line_1=street_line_1,
            postal_code=postal_code,
            state=state,
            street_line_2=street_line_2,
        )

        return residential_address_in

