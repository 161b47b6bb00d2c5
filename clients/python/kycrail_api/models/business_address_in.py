from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.business_address_in_type import BusinessAddressInType
from ..models.country_code import CountryCode
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BusinessAddressIn")



@_attrs_define
class BusinessAddressIn:
    """ 
        Attributes:
            city (str):
            country (CountryCode):
            line1 (str):
            type_ (BusinessAddressInType):
            line2 (None | str | Unset):
            postal_code (None | str | Unset):
            state (None | str | Unset):
     """

    city: str
    country: CountryCode
    line1: str
    type_: BusinessAddressInType
    line2: None | str | Unset = UNSET
    postal_code: None | str | Unset = UNSET
    state: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        city = self.city

        country = self.country.value

        line1 = self.line1

        type_ = self.type_.value

        line2: None | str | Unset
        if isinstance(self.line2, Unset):
            line2 = UNSET
        else:
            line2 = self.line2

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


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "city": city,
            "country": country,
            "line1": line1,
            "type": type_,
        })
        if line2 is not UNSET:
            field_dict["line2"] = line2
        if postal_code is not UNSET:
            field_dict["postalCode"] = postal_code
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        city = d.pop("city")

        country = CountryCode(d.pop("country"))




        line1 = d.pop("line1")

        type_ = BusinessAddressInType(d.pop("type"))




        def _parse_line2(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        line2 = _parse_line2(d.pop("line2", UNSET))


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


        business_address_in = cls(
            city=city,
            country=country,
            line1=line1,
            type_=type_,
            line2=line2,
            postal_code=postal_code,
            state=state,
        )

        return business_address_in

