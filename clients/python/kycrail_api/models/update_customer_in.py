from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.address_in import AddressIn
  from ..models.personal_information_in import PersonalInformationIn
  from ..models.update_customer_in_meta import UpdateCustomerInMeta





T = TypeVar("T", bound="UpdateCustomerIn")



@_attrs_define
class UpdateCustomerIn:
    """ PATCH body: every field optional; ``meta`` replaces the stored object.

        Attributes:
            address (AddressIn | Unset):
            meta (UpdateCustomerInMeta | Unset): Up to 50 keys of at most 40 characters; values are strings (at most 500
                characters), numbers, booleans or null.
            personal_information (PersonalInformationIn | Unset):
     """

    address: AddressIn | Unset = UNSET
    meta: UpdateCustomerInMeta | Unset = UNSET
    personal_information: PersonalInformationIn | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address_in import AddressIn # noqa: PLC0415
        from ..models.personal_information_in import PersonalInformationIn # noqa: PLC0415
        from ..models.update_customer_in_meta import UpdateCustomerInMeta # noqa: PLC0415
        address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.address, Unset):
            address = self.address.to_dict()

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        personal_information: dict[str, Any] | Unset = UNSET
        if not isinstance(self.personal_information, Unset):
            personal_information = self.personal_information.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if address is not UNSET:
            field_dict["address"] = address
        if meta is not UNSET:
            field_dict["meta"] = meta
        if personal_information is not UNSET:
            field_dict["personalInformation"] = personal_information

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_in import AddressIn # noqa: PLC0415
        from ..models.personal_information_in import PersonalInformationIn # noqa: PLC0415
        from ..models.update_customer_in_meta import UpdateCustomerInMeta # noqa: PLC0415
        d = dict(src_dict)
        _address = d.pop("address", UNSET)
        address: AddressIn | Unset
        if isinstance(_address,  Unset):
            address = UNSET
        else:
            address = AddressIn.from_dict(_address)




        _meta = d.pop("meta", UNSET)
        meta: UpdateCustomerInMeta | Unset
        if isinstance(_meta,  Unset):
            meta = UNSET
        else:
            meta = UpdateCustomerInMeta.from_dict(_meta)




        _personal_information = d.pop("personalInformation", UNSET)
        personal_information: PersonalInformationIn | Unset
        if isinstance(_personal_information,  Unset):
            personal_information = UNSET
        else:
            personal_information = PersonalInformationIn.from_dict(_personal_information)




        update_customer_in = cls(
            address=address,
            meta=meta,
            personal_information=personal_information,
        )

        return update_customer_in

