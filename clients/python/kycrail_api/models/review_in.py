from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.review_in_decision import ReviewInDecision
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.reason_in import ReasonIn





T = TypeVar("T", bound="ReviewIn")



@_attrs_define
class ReviewIn:
    """ 
        Attributes:
            decision (ReviewInDecision): `approved` or `rejected` decide a pending review; `reopen` takes back a final
                rejection: the verification runs again (the named criteria, if any, must be supplied again; without reasons the
                customer goes straight back to review).
            final (bool | Unset): For a rejection: true ends the verification (only a reviewer's `reopen` takes it back);
                false sends the named criteria back to be supplied again. Default: False.
            reasons (list[ReasonIn] | Unset):
     """

    decision: ReviewInDecision
    final: bool | Unset = False
    reasons: list[ReasonIn] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.reason_in import ReasonIn # noqa: PLC0415
        decision = self.decision.value

        final = self.final

        reasons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.reasons, Unset):
            reasons = []
            for reasons_item_data in self.reasons:
                reasons_item = reasons_item_data.to_dict()
                reasons.append(reasons_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "decision": decision,
        })
        if final is not UNSET:
            field_dict["final"] = final
        if reasons is not UNSET:
            field_dict["reasons"] = reasons

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reason_in import ReasonIn # noqa: PLC0415
        d = dict(src_dict)
        decision = ReviewInDecision(d.pop("decision"))




        final = d.pop("final", UNSET)

        _reasons = d.pop("reasons", UNSET)
        reasons: list[ReasonIn] | Unset = UNSET
        if _reasons is not UNSET:
            reasons = []
            for reasons_item_data in _reasons:
                reasons_item = ReasonIn.from_dict(reasons_item_data)



                reasons.append(reasons_item)


        review_in = cls(
            decision=decision,
            final=final,
            reasons=reasons,
        )

        return review_in

