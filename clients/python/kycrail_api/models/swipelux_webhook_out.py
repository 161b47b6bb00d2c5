from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.swipelux_webhook_out_status import SwipeluxWebhookOutStatus
from typing import cast
import datetime






T = TypeVar("T", bound="SwipeluxWebhookOut")



@_attrs_define
class SwipeluxWebhookOut:
    """ 
        Attributes:
            created_at (datetime.datetime):
            events (list[str]):
            id (str):
            status (SwipeluxWebhookOutStatus):
            url (str):
     """

    created_at: datetime.datetime
    events: list[str]
    id: str
    status: SwipeluxWebhookOutStatus
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        events = self.events



        id = self.id

        status = self.status.value

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "events": events,
            "id": id,
            "status": status,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        events = cast(list[str], d.pop("events"))


        id = d.pop("id")

        status = SwipeluxWebhookOutStatus(d.pop("status"))




        url = d.pop("url")

        swipelux_webhook_out = cls(
            created_at=created_at,
            events=events,
            id=id,
            status=status,
            url=url,
        )


        swipelux_webhook_out.additional_properties = d
        return swipelux_webhook_out

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
