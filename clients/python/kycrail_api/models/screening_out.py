from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.hit_out import HitOut





T = TypeVar("T", bound="ScreeningOut")



@_attrs_define
class ScreeningOut:
    """ 
        Attributes:
            customer_id (str):
            hits (list[HitOut]):
            open_hits (int):
            verification_status (str):
     """

    customer_id: str
    hits: list[HitOut]
    open_hits: int
    verification_status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.hit_out import HitOut # noqa: PLC0415
        customer_id = self.customer_id

        hits = []
        for hits_item_data in self.hits:
            hits_item = hits_item_data.to_dict()
            hits.append(hits_item)



        open_hits = self.open_hits

        verification_status = self.verification_status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customerId": customer_id,
            "hits": hits,
            "openHits": open_hits,
            "verificationStatus": verification_status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hit_out import HitOut # noqa: PLC0415
        d = dict(src_dict)
        customer_id = d.pop("customerId")

        hits = []
        _hits = d.pop("hits")
        for hits_item_data in (_hits):
            hits_item = HitOut.from_dict(hits_item_data)



            hits.append(hits_item)


        open_hits = d.pop("openHits")

        verification_status = d.pop("verificationStatus")

        screening_out = cls(
            customer_id=customer_id,
            hits=hits,
            open_hits=open_hits,
            verification_status=verification_status,
        )


        screening_out.additional_properties = d
        return screening_out

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
