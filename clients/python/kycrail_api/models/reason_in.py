from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ReasonIn")



@_attrs_define
class ReasonIn:
    """ 
        Attributes:
            criterion (str):
            message (str):
     """

    criterion: str
    message: str





    def to_dict(self) -> dict[str, Any]:
        criterion = self.criterion

        message = self.message


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "criterion": criterion,
            "message": message,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        criterion = d.pop("criterion")

        message = d.pop("message")

        reason_in = cls(
            criterion=criterion,
            message=message,
        )

        return reason_in

