from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.resolution_in_resolution import ResolutionInResolution






T = TypeVar("T", bound="ResolutionIn")



@_attrs_define
class ResolutionIn:
    """ 
        Attributes:
            reason (str):
            resolution (ResolutionInResolution): `false_positive`: not this person; the entry, as it stands, raises no hit
                on this customer again (a changed entry does). `true_match`: the customer is on the list: a final rejection,
                which only a reviewer's `reopen` takes back.
     """

    reason: str
    resolution: ResolutionInResolution





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        resolution = self.resolution.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "reason": reason,
            "resolution": resolution,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        resolution = ResolutionInResolution(d.pop("resolution"))




        resolution_in = cls(
            reason=reason,
            resolution=resolution,
        )

        return resolution_in

