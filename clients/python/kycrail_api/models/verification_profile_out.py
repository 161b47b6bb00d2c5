from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.profile_status import ProfileStatus
from ..models.verification_profile_out_name import VerificationProfileOutName
from typing import cast

if TYPE_CHECKING:
  from ..models.criteria_out import CriteriaOut





T = TypeVar("T", bound="VerificationProfileOut")



@_attrs_define
class VerificationProfileOut:
    """ 
        Attributes:
            criteria (CriteriaOut):
            name (VerificationProfileOutName):
            status (ProfileStatus):
     """

    criteria: CriteriaOut
    name: VerificationProfileOutName
    status: ProfileStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.criteria_out import CriteriaOut # noqa: PLC0415
        criteria = self.criteria.to_dict()

        name = self.name.value

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "criteria": criteria,
            "name": name,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.criteria_out import CriteriaOut # noqa: PLC0415
        d = dict(src_dict)
        criteria = CriteriaOut.from_dict(d.pop("criteria"))




        name = VerificationProfileOutName(d.pop("name"))




        status = ProfileStatus(d.pop("status"))




        verification_profile_out = cls(
            criteria=criteria,
            name=name,
            status=status,
        )


        verification_profile_out.additional_properties = d
        return verification_profile_out

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
