from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.requirement_error_out import RequirementErrorOut





T = TypeVar("T", bound="RequirementsOut")



@_attrs_define
class RequirementsOut:
    """ 
        Attributes:
            errors (list[RequirementErrorOut]): Criteria a reviewer sent back, with the reviewer's message: supply them
                again.
            missing (list[str]): What the customer still has to supply, as criterion names (v2's profile names them the
                same: its required criteria).
            pending (list[str]): kycrail extension: what is supplied and awaits a review (documents on file, as v2's pending
                criteria), and `sanctions_screening` while a sanctions screening hit awaits a reviewer: the customer cannot be
                approved until it is resolved.
     """

    errors: list[RequirementErrorOut]
    missing: list[str]
    pending: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.requirement_error_out import RequirementErrorOut # noqa: PLC0415
        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)



        missing = self.missing



        pending = self.pending




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "errors": errors,
            "missing": missing,
            "pending": pending,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.requirement_error_out import RequirementErrorOut # noqa: PLC0415
        d = dict(src_dict)
        errors = []
        _errors = d.pop("errors")
        for errors_item_data in (_errors):
            errors_item = RequirementErrorOut.from_dict(errors_item_data)



            errors.append(errors_item)


        missing = cast(list[str], d.pop("missing"))


        pending = cast(list[str], d.pop("pending"))


        requirements_out = cls(
            errors=errors,
            missing=missing,
            pending=pending,
        )


        requirements_out.additional_properties = d
        return requirements_out

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
