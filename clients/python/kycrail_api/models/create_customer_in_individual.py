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
  from ..models.address_in import AddressIn
  from ..models.create_customer_in_individual_meta import CreateCustomerInIndividualMeta
  from ..models.personal_information_in import PersonalInformationIn





T = TypeVar("T", bound="CreateCustomerInIndividual")



@_attrs_define
class CreateCustomerInIndividual:
    """ 
        Attributes:
            address (AddressIn):
            email (str):
            phone (str): E.164 (+ and up to 15 digits), of a number libphonenumber judges valid (an assigned range, not
                merely the right length).
            meta (CreateCustomerInIndividualMeta | Unset): Up to 50 keys of at most 40 characters; values are strings (at
                most 500 characters), numbers, booleans or null.
            personal_information (PersonalInformationIn | Unset):
            type_ (Literal['individual'] | Unset):
     """

    address: AddressIn
    email: str
    phone: str
    meta: CreateCustomerInIndividualMeta | Unset = UNSET
    personal_information: PersonalInformationIn | Unset = UNSET
    type_: Literal['individual'] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address_in import AddressIn # noqa: PLC0415
        from ..models.create_customer_in_individual_meta import CreateCustomerInIndividualMeta # noqa: PLC0415
        from ..models.personal_information_in import PersonalInformationIn # noqa: PLC0415
        address = self.address.to_dict()

        email = self.email

        phone = self.phone

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        personal_information: dict[str, Any] | Unset = UNSET
        if not isinstance(self.personal_information, Unset):
            personal_information = self.personal_information.to_dict()

        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "address": address,
            "email": email,
            "phone": phone,
        })
        if meta is not UNSET:
            field_dict["meta"] = meta
        if personal_information is not UNSET:
            field_dict["personalInformation"] = personal_information
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_in import AddressIn # noqa: PLC0415
        from ..models.create_customer_in_individual_meta import CreateCustomerInIndividualMeta # noqa: PLC0415
        from ..models.personal_information_in import PersonalInformationIn # noqa: PLC0415
        d = dict(src_dict)
        address = AddressIn.from_dict(d.pop("address"))




        email = d.pop("email")

        phone = d.pop("phone")

        _meta = d.pop("meta", UNSET)
        meta: CreateCustomerInIndividualMeta | Unset
        if isinstance(_meta,  Unset):
            meta = UNSET
        else:
            meta = CreateCustomerInIndividualMeta.from_dict(_meta)




        _personal_information = d.pop("personalInformation", UNSET)
        personal_information: PersonalInformationIn | Unset
        if isinstance(_personal_information,  Unset):
            personal_information = UNSET
        else:
            personal_information = PersonalInformationIn.from_dict(_personal_information)




        type_ = cast(Literal['individual'] | Unset , d.pop("type", UNSET))
        if type_ != 'individual'and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'individual', got '{type_}'")

        create_customer_in_individual = cls(
            address=address,
            email=email,
            phone=phone,
            meta=meta,
            personal_information=personal_information,
            type_=type_,
        )

        return create_customer_in_individual

