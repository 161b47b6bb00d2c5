from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.sphere_customer_out import SphereCustomerOut





T = TypeVar("T", bound="SphereWebhookEventOut")



@_attrs_define
class SphereWebhookEventOut:
    """ 
        Attributes:
            created_at (datetime.datetime):
            data (SphereCustomerOut): The customer as Sphere shows it. Individuals carry address, dateOfBirth and
                personalInformation; businesses carry businessInformation and addresses.
            id (str):
            name (str):
     """

    created_at: datetime.datetime
    data: SphereCustomerOut
    id: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sphere_customer_out import SphereCustomerOut # noqa: PLC0415
        created_at = self.created_at.isoformat()

        data = self.data.to_dict()

        id = self.id

        name = self.name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "data": data,
            "id": id,
            "name": name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sphere_customer_out import SphereCustomerOut # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        data = SphereCustomerOut.from_dict(d.pop("data"))




        id = d.pop("id")

        name = d.pop("name")

        sphere_webhook_event_out = cls(
            created_at=created_at,
            data=data,
            id=id,
            name=name,
        )


        sphere_webhook_event_out.additional_properties = d
        return sphere_webhook_event_out

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
