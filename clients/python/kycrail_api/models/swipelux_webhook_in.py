from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.swipelux_webhook_in_events_item import SwipeluxWebhookInEventsItem
from typing import cast






T = TypeVar("T", bound="SwipeluxWebhookIn")



@_attrs_define
class SwipeluxWebhookIn:
    """ 
        Attributes:
            events (list[SwipeluxWebhookInEventsItem]):
            url (str): An https URL kycrail can reach (`kycrail serve --sandbox` takes http and private addresses too). A
                private, loopback or other special-use address is refused (400).
     """

    events: list[SwipeluxWebhookInEventsItem]
    url: str





    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)



        url = self.url


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "events": events,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = SwipeluxWebhookInEventsItem(events_item_data)



            events.append(events_item)


        url = d.pop("url")

        swipelux_webhook_in = cls(
            events=events,
            url=url,
        )

        return swipelux_webhook_in

