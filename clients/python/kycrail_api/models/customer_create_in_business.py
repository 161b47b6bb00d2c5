from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.customer_create_in_business_metadata import CustomerCreateInBusinessMetadata





T = TypeVar("T", bound="CustomerCreateInBusiness")



@_attrs_define
class CustomerCreateInBusiness:
    """ ``POST /v1/customers``: ``{}`` is an individual; a business sends ``type`` and its ``legalName``.

        Attributes:
            legal_name (str): In Unicode NFC once stored; no control or bidirectional control character, and combining marks
                only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            type_ (Literal['business']):
            email (str | Unset):
            metadata (CustomerCreateInBusinessMetadata | Unset): Up to 50 keys of at most 40 characters; values are strings
                (at most 500 characters), numbers, booleans or null.
            phone (str | Unset): E.164 (+ and up to 15 digits), of a number libphonenumber judges valid (an assigned range,
                not merely the right length).
            website (str | Unset):
     """

    legal_name: str
    type_: Literal['business']
    email: str | Unset = UNSET
    metadata: CustomerCreateInBusinessMetadata | Unset = UNSET
    phone: str | Unset = UNSET
    website: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_create_in_business_metadata import CustomerCreateInBusinessMetadata # noqa: PLC0415
        legal_name = self.legal_name

        type_ = self.type_

        email = self.email

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        phone = self.phone

        website = self.website


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "legalName": legal_name,
            "type": type_,
        })
        if email is not UNSET:
            field_dict["email"] = email
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if phone is not UNSET:
            field_dict["phone"] = phone
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_create_in_business_metadata import CustomerCreateInBusinessMetadata # noqa: PLC0415
        d = dict(src_dict)
        legal_name = d.pop("legalName")

        type_ = cast(Literal['business'] , d.pop("type"))
        if type_ != 'business':
            raise ValueError(f"type must match const 'business', got '{type_}'")

        email = d.pop("email", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: CustomerCreateInBusinessMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = CustomerCreateInBusinessMetadata.from_dict(_metadata)




        phone = d.pop("phone", UNSET)

        website = d.pop("website", UNSET)

        customer_create_in_business = cls(
            legal_name=legal_name,
            type_=type_,
            email=email,
            metadata=metadata,
            phone=phone,
            website=website,
        )

        return customer_create_in_business

