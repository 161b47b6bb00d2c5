from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.criterion_error_out import CriterionErrorOut





T = TypeVar("T", bound="CriteriaOut")



@_attrs_define
class CriteriaOut:
    """ 
        Attributes:
            complete (list[str]):
            errors (list[CriterionErrorOut]):
            pending (list[str]):
            required (list[str]):
     """

    complete: list[str]
    errors: list[CriterionErrorOut]
    pending: list[str]
    required: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.criterion_error_out import CriterionErrorOut # noqa: PLC0415
        complete = self.complete



        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)



        pending = self.pending



        required = self.required




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "complete": complete,
            "errors": errors,
            "pending": pending,
            "required": required,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.criterion_error_out import CriterionErrorOut # noqa: PLC0415
        d = dict(src_dict)
        complete = cast(list[str], d.pop("complete"))


        errors = []
        _errors = d.pop("errors")
        for errors_item_data in (_errors):
            errors_item = CriterionErrorOut.from_dict(errors_item_data)



            errors.append(errors_item)


        pending = cast(list[str], d.pop("pending"))


        required = cast(list[str], d.pop("required"))


        criteria_out = cls(
            complete=complete,
            errors=errors,
            pending=pending,
            required=required,
        )


        criteria_out.additional_properties = d
        return criteria_out

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
