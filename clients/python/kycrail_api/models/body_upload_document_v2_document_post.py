from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.country_code import CountryCode
from ..models.document_type import DocumentType
from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="BodyUploadDocumentV2DocumentPost")



@_attrs_define
class BodyUploadDocumentV2DocumentPost:
    """ 
        Attributes:
            document_type (DocumentType):
            file (str): JPEG, PNG, WEBP or PDF, at most 10 MB by default
            target (Literal['customer']):
            target_id (str):
            country (CountryCode | Unset):
     """

    document_type: DocumentType
    file: str
    target: Literal['customer']
    target_id: str
    country: CountryCode | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        document_type = self.document_type.value

        file = self.file

        target = self.target

        target_id = self.target_id

        country: str | Unset = UNSET
        if not isinstance(self.country, Unset):
            country = self.country.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "documentType": document_type,
            "file": file,
            "target": target,
            "targetId": target_id,
        })
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("documentType",  (None, str(self.document_type.value).encode(), "text/plain")))



        files.append(("file", (None, str(self.file).encode(), "text/plain")))



        files.append(("target", (None, self.target, "text/plain")))



        files.append(("targetId", (None, str(self.target_id).encode(), "text/plain")))



        if not isinstance(self.country, Unset):
            files.append(("country",  (None, str(self.country.value).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_type = DocumentType(d.pop("documentType"))




        file = d.pop("file")

        target = cast(Literal['customer'] , d.pop("target"))
        if target != 'customer':
            raise ValueError(f"target must match const 'customer', got '{target}'")

        target_id = d.pop("targetId")

        _country = d.pop("country", UNSET)
        country: CountryCode | Unset
        if isinstance(_country,  Unset):
            country = UNSET
        else:
            country = CountryCode(_country)




        body_upload_document_v2_document_post = cls(
            document_type=document_type,
            file=file,
            target=target,
            target_id=target_id,
            country=country,
        )


        body_upload_document_v2_document_post.additional_properties = d
        return body_upload_document_v2_document_post

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
