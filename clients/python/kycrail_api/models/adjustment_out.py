from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.adjustment_out_factor import AdjustmentOutFactor






T = TypeVar("T", bound="AdjustmentOut")



@_attrs_define
class AdjustmentOut:
    """ 
        Attributes:
            delta (float):
            factor (AdjustmentOutFactor):
            reason (str):
     """

    delta: float
    factor: AdjustmentOutFactor
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        delta = self.delta

        factor = self.factor.value

        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "delta": delta,
            "factor": factor,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        delta = d.pop("delta")

        factor = AdjustmentOutFactor(d.pop("factor"))




        reason = d.pop("reason")

        adjustment_out = cls(
            delta=delta,
            factor=factor,
            reason=reason,
        )


        adjustment_out.additional_properties = d
        return adjustment_out

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
