from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.token_out_how import TokenOutHow
from typing import cast






T = TypeVar("T", bound="TokenOut")



@_attrs_define
class TokenOut:
    """ 
        Attributes:
            customer (None | str): The customer's name token (None: the listed name's was unpaired).
            how (TokenOutHow):
            listed (None | str):
            similarity (float):
     """

    customer: None | str
    how: TokenOutHow
    listed: None | str
    similarity: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        customer: None | str
        customer = self.customer

        how = self.how.value

        listed: None | str
        listed = self.listed

        similarity = self.similarity


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customer": customer,
            "how": how,
            "listed": listed,
            "similarity": similarity,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_customer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer = _parse_customer(d.pop("customer"))


        how = TokenOutHow(d.pop("how"))




        def _parse_listed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        listed = _parse_listed(d.pop("listed"))


        similarity = d.pop("similarity")

        token_out = cls(
            customer=customer,
            how=how,
            listed=listed,
            similarity=similarity,
        )


        token_out.additional_properties = d
        return token_out

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
