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
  from ..models.business_address_in import BusinessAddressIn
  from ..models.business_information_in import BusinessInformationIn
  from ..models.create_customer_in_business_meta import CreateCustomerInBusinessMeta





T = TypeVar("T", bound="CreateCustomerInBusiness")



@_attrs_define
class CreateCustomerInBusiness:
    """ 
        Attributes:
            business_information (BusinessInformationIn):
            email (str):
            phone (str): E.164 (+ and up to 15 digits), of a number libphonenumber judges valid (an assigned range, not
                merely the right length).
            type_ (Literal['business']):
            addresses (list[BusinessAddressIn] | Unset): At most one registered and one operating address.
            meta (CreateCustomerInBusinessMeta | Unset): Up to 50 keys of at most 40 characters; values are strings (at most
                500 characters), numbers, booleans or null.
     """

    business_information: BusinessInformationIn
    email: str
    phone: str
    type_: Literal['business']
    addresses: list[BusinessAddressIn] | Unset = UNSET
    meta: CreateCustomerInBusinessMeta | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.business_address_in import BusinessAddressIn # noqa: PLC0415
        from ..models.business_information_in import BusinessInformationIn # noqa: PLC0415
        from ..models.create_customer_in_business_meta import CreateCustomerInBusinessMeta # noqa: PLC0415
        business_information = self.business_information.to_dict()

        email = self.email

        phone = self.phone

        type_ = self.type_

        addresses: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.addresses, Unset):
            addresses = []
            for addresses_item_data in self.addresses:
                addresses_item = addresses_item_data.to_dict()
                addresses.append(addresses_item)



        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "businessInformation": business_information,
            "email": email,
            "phone": phone,
            "type": type_,
        })
        if addresses is not UNSET:
            field_dict["addresses"] = addresses
        if meta is not UNSET:
            field_dict["meta"] = meta

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.business_address_in import BusinessAddressIn # noqa: PLC0415
        from ..models.business_information_in import BusinessInformationIn # noqa: PLC0415
        from ..models.create_customer_in_business_meta import CreateCustomerInBusinessMeta # noqa: PLC0415
        d = dict(src_dict)
        business_information = BusinessInformationIn.from_dict(d.pop("businessInformation"))




        email = d.pop("email")

        phone = d.pop("phone")

        type_ = cast(Literal['business'] , d.pop("type"))
        if type_ != 'business':
            raise ValueError(f"type must match const 'business', got '{type_}'")

        _addresses = d.pop("addresses", UNSET)
        addresses: list[BusinessAddressIn] | Unset = UNSET
        if _addresses is not UNSET:
            addresses = []
            for addresses_item_data in _addresses:
                addresses_item = BusinessAddressIn.from_dict(addresses_item_data)



                addresses.append(addresses_item)


        _meta = d.pop("meta", UNSET)
        meta: CreateCustomerInBusinessMeta | Unset
        if isinstance(_meta,  Unset):
            meta = UNSET
        else:
            meta = CreateCustomerInBusinessMeta.from_dict(_meta)




        create_customer_in_business = cls(
            business_information=business_information,
            email=email,
            phone=phone,
            type_=type_,
            addresses=addresses,
            meta=meta,
        )

        return create_customer_in_business

