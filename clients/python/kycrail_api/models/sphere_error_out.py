from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.sphere_field_error_out import SphereFieldErrorOut





T = TypeVar("T", bound="SphereErrorOut")



@_attrs_define
class SphereErrorOut:
    """ 
        Attributes:
            code (str):
            correlation_id (str):
            detail (str):
            errors (list[SphereFieldErrorOut]):
            status (int):
     """

    code: str
    correlation_id: str
    detail: str
    errors: list[SphereFieldErrorOut]
    status: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sphere_field_error_out import SphereFieldErrorOut # noqa: PLC0415
        code = self.code

        correlation_id = self.correlation_id

        detail = self.detail

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)



        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "correlationId": correlation_id,
            "detail": detail,
            "errors": errors,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sphere_field_error_out import SphereFieldErrorOut # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        correlation_id = d.pop("correlationId")

        detail = d.pop("detail")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in (_errors):
            errors_item = SphereFieldErrorOut.from_dict(errors_item_data)



            errors.append(errors_item)


        status = d.pop("status")

        sphere_error_out = cls(
            code=code,
            correlation_id=correlation_id,
            detail=detail,
            errors=errors,
            status=status,
        )


        sphere_error_out.additional_properties = d
        return sphere_error_out

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
