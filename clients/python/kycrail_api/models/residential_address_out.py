from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ResidentialAddressOut")



@_attrs_define
class ResidentialAddressOut:
    """ 
        Attributes:
            city (str):
            country (str):
            postal_code (None | str):
            state (None | str):
            street_line_1 (str):
            street_line_2 (None | str):
     """

    city: str
    country: str
    postal_code: None | str
    state: None | str
    street_line_1: str
    street_line_2: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        city = self.city

        country = self.country

        postal_code: None | str
        postal_code = self.postal_code

        state: None | str
        state = self.state

        street_line_1 = self.street_line_1

        street_line_2: None | str
        street_line_2 = self.street_line_2


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "city": city,
            "country": country,
            "postalCode": postal_code,
            "state": state,
            "streetLine1": street_line_1,
            "streetLine2": street_line_2,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        city = d.pop("city")

        country = d.pop("country")

        def _parse_postal_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        postal_code = _parse_postal_code(d.pop("postalCode"))


        def _parse_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        state = _parse_state(d.pop("state"))


        street_line_1 = d.pop("streetLine1")

        def _parse_street_line_2(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        street_line_2 = _parse_street_line_2(d.pop("streetLine2"))


        residential_address_out = cls(
            city=city,
            country=country,
            postal_code=postal_code,
            state=state,
            street_line_1=street_line_1,
            street_line_2=street_line_2,
        )


        residential_address_out.additional_properties = d
        return residential_address_out

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
