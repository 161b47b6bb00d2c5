from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.hit_out_status import HitOutStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.adjustment_out import AdjustmentOut
  from ..models.token_out import TokenOut





T = TypeVar("T", bound="HitOut")



@_attrs_define
class HitOut:
    """ 
        Attributes:
            adjustments (list[AdjustmentOut]): What date of birth, country and party type did.
            created_at (datetime.datetime):
            entry_id (str): The entry's id on its list.
            id (str):
            list_ (str): The sanctions list: ofac_sdn, ofac_consolidated, un, eu or uk.
            listed_name (str): The list's own name that matched.
            name_kind (str): primary, aka, weak_aka or fka.
            name_score (float):
            reason (None | str): The reviewer's reason, once resolved.
            resolved_at (datetime.datetime | None):
            resolved_by (None | str):
            score (float): The name's score with the adjustments, 0 to 1.
            status (HitOutStatus):
            tokens (list[TokenOut]): Token by token: the customer's name against the listed one.
     """

    adjustments: list[AdjustmentOut]
    created_at: datetime.datetime
    entry_id: str
    id: str
    list_: str
    listed_name: str
    name_kind: str
    name_score: float
    reason: None | str
    resolved_at: datetime.datetime | None
    resolved_by: None | str
    score: float
    status: HitOutStatus
    tokens: list[TokenOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.adjustment_out import AdjustmentOut # noqa: PLC0415
        from ..models.token_out import TokenOut # noqa: PLC0415
        adjustments = []
        for adjustments_item_data in self.adjustments:
            adjustments_item = adjustments_item_data.to_dict()
            adjustments.append(adjustments_item)



        created_at = self.created_at.isoformat()

        entry_id = self.entry_id

        id = self.id

        list_ = self.list_

        listed_name = self.listed_name

        name_kind = self.name_kind

        name_score = self.name_score

        reason: None | str
        reason = self.reason

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolved_by: None | str
        resolved_by = self.resolved_by

        score = self.score

        status = self.status.value

        tokens = []
        for tokens_item_data in self.tokens:
            tokens_item = tokens_item_data.to_dict()
            tokens.append(tokens_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "adjustments": adjustments,
            "createdAt": created_at,
            "entryId": entry_id,
            "id": id,
            "list": list_,
            "listedName": listed_name,
            "nameKind": name_kind,
            "nameScore": name_score,
            "reason": reason,
            "resolvedAt": resolved_at,
            "resolvedBy": resolved_by,
            "score": score,
            "status": status,
            "tokens": tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adjustment_out import AdjustmentOut # noqa: PLC0415
        from ..models.token_out import TokenOut # noqa: PLC0415
        d = dict(src_dict)
        adjustments = []
        _adjustments = d.pop("adjustments")
        for adjustments_item_data in (_adjustments):
            adjustments_item = AdjustmentOut.from_dict(adjustments_item_data)



            adjustments.append(adjustments_item)


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        entry_id = d.pop("entryId")

        id = d.pop("id")

        list_ = d.pop("list")

        listed_name = d.pop("listedName")

        name_kind = d.pop("nameKind")

        name_score = d.pop("nameScore")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)



                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolvedAt"))


        def _parse_resolved_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_by = _parse_resolved_by(d.pop("resolvedBy"))


        score = d.pop("score")

        status = HitOutStatus(d.pop("status"))




        tokens = []
        _tokens = d.pop("tokens")
        for tokens_item_data in (_tokens):
            tokens_item = TokenOut.from_dict(tokens_item_data)



            tokens.append(tokens_item)


        hit_out = cls(
            adjustments=adjustments,
            created_at=created_at,
            entry_id=entry_id,
            id=id,
            list_=list_,
            listed_name=listed_name,
            name_kind=name_kind,
            name_score=name_score,
            reason=reason,
            resolved_at=resolved_at,
            resolved_by=resolved_by,
            score=score,
            status=status,
            tokens=tokens,
        )


        hit_out.additional_properties = d
        return hit_out

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
