from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.sphere_webhook_created_out_status import SphereWebhookCreatedOutStatus
from typing import cast
import datetime






T = TypeVar("T", bound="SphereWebhookCreatedOut")



@_attrs_define
class SphereWebhookCreatedOut:
    """ 
        Attributes:
            created_at (datetime.datetime):
            events (list[str]):
            id (str):
            name (str):
            secret (str): Shown once. The `signature` header is the hex HMAC-SHA256 of the raw body keyed with this string
                as it is; the Standard Webhooks headers use it in its `whsec_` form.
            status (SphereWebhookCreatedOutStatus):
            url (str):
     """

    created_at: datetime.datetime
    events: list[str]
    id: str
    name: str
    secret: str
    status: SphereWebhookCreatedOutStatus
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        events = self.events



        id = self.id

        name = self.name

        secret = self.secret

        status = self.status.value

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "events": events,
            "id": id,
            "name": name,
            "secret": secret,
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

        name = d.pop("name")

        secret = d.pop("secret")

        status = SphereWebhookCreatedOutStatus(d.pop("status"))




        url = d.pop("url")

        sphere_webhook_created_out = cls(
            created_at=created_at,
            events=events,
            id=id,
            name=name,
            secret=secret,
            status=status,
            url=url,
        )


        sphere_webhook_created_out.additional_properties = d
        return sphere_webhook_created_out

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
