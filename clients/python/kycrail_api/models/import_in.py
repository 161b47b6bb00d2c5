from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ImportIn")



@_attrs_define
class ImportIn:
    """ 
        Attributes:
            share_token (str): A SumSub share token: its completed KYC is imported in the same call (the token is spent,
                never shown back).
     """

    share_token: str





    def to_dict(self) -> dict[str, Any]:
        share_token = self.share_token


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "shareToken": share_token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        share_token = d.pop("shareToken")

        import_in = cls(
            share_token=share_token,
        )

        return import_in

