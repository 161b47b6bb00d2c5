from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.swipelux_field_error_out import SwipeluxFieldErrorOut





T = TypeVar("T", bound="SwipeluxErrorOut")



@_attrs_define
class SwipeluxErrorOut:
    """ 
        Attributes:
            code (str):
            errors (list[SwipeluxFieldErrorOut]):
            message (str):
            request_id (str):
            retryable (bool):
     """

    code: str
    errors: list[SwipeluxFieldErrorOut]
    message: str
    request_id: str
    retryable: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.swipelux_field_error_out import SwipeluxFieldErrorOut # noqa: PLC0415
        code = self.code

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)



        message = self.message

        request_id = self.request_id

        retryable = self.retryable


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "errors": errors,
            "message": message,
            "requestId": request_id,
            "retryable": retryable,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.swipelux_field_error_out import SwipeluxFieldErrorOut # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in (_errors):
            errors_item = SwipeluxFieldErrorOut.from_dict(errors_item_data)



            errors.append(errors_item)


        message = d.pop("message")

        request_id = d.pop("requestId")

        retryable = d.pop("retryable")

        swipelux_error_out = cls(
            code=code,
            errors=errors,
            message=message,
            request_id=request_id,
            retryable=retryable,
        )


        swipelux_error_out.additional_properties = d
        return swipelux_error_out

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
