from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.document_out_source import DocumentOutSource
from ..models.document_out_status import DocumentOutStatus
from ..models.document_type import DocumentType
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="DocumentOut")



@_attrs_define
class DocumentOut:
    """ 
        Attributes:
            content_type (str):
            country (None | str):
            created_at (str):
            document_type (DocumentType):
            id (str):
            size (int):
            source (DocumentOutSource): How kycrail came to hold the file: uploaded through this API, or fetched from the
                KYC provider once it reviewed the customer (a page of the document it verified, whose status it takes).
            status (DocumentOutStatus): Where its review stands: awaiting it, accepted, or asked for again.
            target (Literal['customer']):
            target_id (str):
     """

    content_type: str
    country: None | str
    created_at: str
    document_type: DocumentType
    id: str
    size: int
    source: DocumentOutSource
    status: DocumentOutStatus
    target: Literal['customer']
    target_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        country: None | str
        country = self.country

        created_at = self.created_at

        document_type = self.document_type.value

        id = self.id

        size = self.size

        source = self.source.value

        status = self.status.value

        target = self.target

        target_id = self.target_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "contentType": content_type,
            "country": country,
            "createdAt": created_at,
            "documentType": document_type,
            "id": id,
            "size": size,
            "source": source,
            "status": status,
            "target": target,
            "targetId": target_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_type = d.pop("contentType")

        def _parse_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country = _parse_country(d.pop("country"))


        created_at = d.pop("createdAt")

        document_type = DocumentType(d.pop("documentType"))




        id = d.pop("id")

        size = d.pop("size")

        source = DocumentOutSource(d.pop("source"))




        status = DocumentOutStatus(d.pop("status"))




        target = cast(Literal['customer'] , d.pop("target"))
        if target != 'customer':
            raise ValueError(f"target must match const 'customer', got '{target}'")

        target_id = d.pop("targetId")

        document_out = cls(
            content_type=content_type,
            country=country,
            created_at=created_at,
            document_type=document_type,
            id=id,
            size=size,
            source=source,
            status=status,
            target=target,
            target_id=target_id,
        )


        document_out.additional_properties = d
        return document_out

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
