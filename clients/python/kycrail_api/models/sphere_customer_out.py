from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.customer_type import CustomerType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.address_out import AddressOut
  from ..models.business_address_out import BusinessAddressOut
  from ..models.business_information_out import BusinessInformationOut
  from ..models.personal_information_out import PersonalInformationOut
  from ..models.sphere_customer_out_meta import SphereCustomerOutMeta
  from ..models.verification_profile_out import VerificationProfileOut





T = TypeVar("T", bound="SphereCustomerOut")



@_attrs_define
class SphereCustomerOut:
    """ The customer as Sphere shows it. Individuals carry address, dateOfBirth and
    personalInformation; businesses carry businessInformation and addresses.

        Attributes:
            created_at (str):
            email (None | str):
            id (str):
            meta (SphereCustomerOutMeta):
            phone (None | str):
            type_ (CustomerType):
            updated_at (str):
            verification_profiles (list[VerificationProfileOut]):
            address (AddressOut | None | Unset):
            addresses (list[BusinessAddressOut] | None | Unset):
            business_information (BusinessInformationOut | None | Unset):
            date_of_birth (None | str | Unset):
            first_name (None | str | Unset):
            last_name (None | str | Unset):
            personal_information (None | PersonalInformationOut | Unset):
     """

    created_at: str
    email: None | str
    id: str
    meta: SphereCustomerOutMeta
    phone: None | str
    type_: CustomerType
    updated_at: str
    verification_profiles: list[VerificationProfileOut]
    address: AddressOut | None | Unset = UNSET
    addresses: list[BusinessAddressOut] | None | Unset = UNSET
    business_information: BusinessInformationOut | None | Unset = UNSET
    date_of_birth: None | str | Unset = UNSET
    first_name: None | str | Unset = UNSET
    last_name: None | str | Unset = UNSET
    personal_information: None | PersonalInformationOut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.address_out import AddressOut # noqa: PLC0415
        from ..models.business_address_out import BusinessAddressOut # noqa: PLC0415
        from ..models.business_information_out import BusinessInformationOut # noqa: PLC0415
        from ..models.personal_information_out import PersonalInformationOut # noqa: PLC0415
        from ..models.sphere_customer_out_meta import SphereCustomerOutMeta # noqa: PLC0415
        from ..models.verification_profile_out import VerificationProfileOut # noqa: PLC0415
        created_at = self.created_at

        email: None | str
        email = self.email

        id = self.id

        meta = self.meta.to_dict()

        phone: None | str
        phone = self.phone

        type_ = self.type_.value

        updated_at = self.updated_at

        verification_profiles = []
        for verification_profiles_item_data in self.verification_profiles:
            verification_profiles_item = verification_profiles_item_data.to_dict()
            verification_profiles.append(verification_profiles_item)



        address: dict[str, Any] | None | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, AddressOut):
            address = self.address.to_dict()
        else:
            address = self.address

        addresses: list[dict[str, Any]] | None | Unset
        if isinstance(self.addresses, Unset):
            addresses = UNSET
        elif isinstance(self.addresses, list):
            addresses = []
            for addresses_type_0_item_data in self.addresses:
                addresses_type_0_item = addresses_type_0_item_data.to_dict()
                addresses.append(addresses_type_0_item)


        else:
            addresses = self.addresses

        business_information: dict[str, Any] | None | Unset
        if isinstance(self.business_information, Unset):
            business_information = UNSET
        elif isinstance(self.business_information, BusinessInformationOut):
            business_information = self.business_information.to_dict()
        else:
            business_information = self.business_information

        date_of_birth: None | str | Unset
        if isinstance(self.date_of_birth, Unset):
            date_of_birth = UNSET
        else:
            date_of_birth = self.date_of_birth

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        personal_information: dict[str, Any] | None | Unset
        if isinstance(self.personal_information, Unset):
            personal_information = UNSET
        elif isinstance(self.personal_information, PersonalInformationOut):
            personal_information = self.personal_information.to_dict()
        else:
            personal_information = self.personal_information


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "email": email,
            "id": id,
            "meta": meta,
            "phone": phone,
            "type": type_,
            "updatedAt": updated_at,
            "verificationProfiles": verification_profiles,
        })
        if address is not UNSET:
            field_dict["address"] = address
        if addresses is not UNSET:
            field_dict["addresses"] = addresses
        if business_information is not UNSET:
            field_dict["businessInformation"] = business_information
        if date_of_birth is not UNSET:
            field_dict["dateOfBirth"] = date_of_birth
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if personal_information is not UNSET:
            field_dict["personalInformation"] = personal_information

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_out import AddressOut # noqa: PLC0415
        from ..models.business_address_out import BusinessAddressOut # noqa: PLC0415
        from ..models.business_information_out import BusinessInformationOut # noqa: PLC0415
        from ..models.personal_information_out import PersonalInformationOut # noqa: PLC0415
        from ..models.sphere_customer_out_meta import SphereCustomerOutMeta # noqa: PLC0415
        from ..models.verification_profile_out import VerificationProfileOut # noqa: PLC0415
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))


        id = d.pop("id")

        meta = SphereCustomerOutMeta.from_dict(d.pop("meta"))




        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))


        type_ = CustomerType(d.pop("type"))




        updated_at = d.pop("updatedAt")

        verification_profiles = []
        _verification_profiles = d.pop("verificationProfiles")
        for verification_profiles_item_data in (_verification_profiles):
            verification_profiles_item = VerificationProfileOut.from_dict(verification_profiles_item_data)



            verification_profiles.append(verification_profiles_item)


        def _parse_address(data: object) -> AddressOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_0 = AddressOut.from_dict(data)



                return address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressOut | None | Unset, data)

        address = _parse_address(d.pop("address", UNSET))


        def _parse_addresses(data: object) -> list[BusinessAddressOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                addresses_type_0 = []
                _addresses_type_0 = data
                for addresses_type_0_item_data in (_addresses_type_0):
                    addresses_type_0_item = BusinessAddressOut.from_dict(addresses_type_0_item_data)



                    addresses_type_0.append(addresses_type_0_item)

                return addresses_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[BusinessAddressOut] | None | Unset, data)

        addresses = _parse_addresses(d.pop("addresses", UNSET))


        def _parse_business_information(data: object) -> BusinessInformationOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                business_information_type_0 = BusinessInformationOut.from_dict(data)



                return business_information_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BusinessInformationOut | None | Unset, data)

        business_information = _parse_business_information(d.pop("businessInformation", UNSET))


        def _parse_date_of_birth(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        date_of_birth = _parse_date_of_birth(d.pop("dateOfBirth", UNSET))


        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("firstName", UNSET))


        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("lastName", UNSET))


        def _parse_personal_information(data: object) -> None | PersonalInformationOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                personal_information_type_0 = PersonalInformationOut.from_dict(data)



                return personal_information_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PersonalInformationOut | Unset, data)

        personal_information = _parse_personal_information(d.pop("personalInformation", UNSET))


        sphere_customer_out = cls(
            created_at=created_at,
            email=email,
            id=id,
            meta=meta,
            phone=phone,
            type_=type_,
            updated_at=updated_at,
            verification_profiles=verification_profiles,
            address=address,
            addresses=addresses,
            business_information=business_information,
            date_of_birth=date_of_birth,
            first_name=first_name,
            last_name=last_name,
            personal_information=personal_information,
        )


        sphere_customer_out.additional_properties = d
        return sphere_customer_out

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
