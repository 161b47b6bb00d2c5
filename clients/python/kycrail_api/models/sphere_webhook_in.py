from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.sphere_webhook_in_events_item import SphereWebhookInEventsItem
from typing import cast






T = TypeVar("T", bound="SphereWebhookIn")



@_attrs_define
class SphereWebhookIn:
    """ 
        Attributes:
            events (list[SphereWebhookInEventsItem]):
            name (str):
            url (str): An https URL kycrail can reach (`kycrail serve --sandbox` takes http and private addresses too). A
                private, loopback or other special-use address is refused (400).
     """

    events: list[SphereWebhookInEventsItem]
    name: str
    url: str





    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)



        name = self.name

        url = self.url


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "events": events,
            "name": name,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = SphereWebhookInEventsItem(events_item_data)



            events.append(events_item)


        name = d.pop("name")

        url = d.pop("url")

        sphere_webhook_in = cls(
            events=events,
            name=name,
            url=url,
        )

        return sphere_webhook_in

