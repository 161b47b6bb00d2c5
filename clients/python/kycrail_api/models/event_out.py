from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.actor_out import ActorOut
  from ..models.event_out_changes_item import EventOutChangesItem





T = TypeVar("T", bound="EventOut")



@_attrs_define
class EventOut:
    """ 
        Attributes:
            actor (ActorOut):
            changes (list[EventOutChangesItem]):
            created_at (str):
            id (int):
            request_id (str):
            type_ (str):
     """

    actor: ActorOut
    changes: list[EventOutChangesItem]
    created_at: str
    id: int
    request_id: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_out import ActorOut # noqa: PLC0415
        from ..models.event_out_changes_item import EventOutChangesItem # noqa: PLC0415
        actor = self.actor.to_dict()

        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)



        created_at = self.created_at

        id = self.id

        request_id = self.request_id

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "actor": actor,
            "changes": changes,
            "createdAt": created_at,
            "id": id,
            "requestId": request_id,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_out import ActorOut # noqa: PLC0415
        from ..models.event_out_changes_item import EventOutChangesItem # noqa: PLC0415
        d = dict(src_dict)
        actor = ActorOut.from_dict(d.pop("actor"))




        changes = []
        _changes = d.pop("changes")
        for changes_item_data in (_changes):
            changes_item = EventOutChangesItem.from_dict(changes_item_data)



            changes.append(changes_item)


        created_at = d.pop("createdAt")

        id = d.pop("id")

        request_id = d.pop("requestId")

        type_ = d.pop("type")

        event_out = cls(
            actor=actor,
            changes=changes,
            created_at=created_at,
            id=id,
            request_id=request_id,
            type_=type_,
        )


        event_out.additional_properties = d
        return event_out

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
