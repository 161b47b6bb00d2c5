from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.country_code import CountryCode
from ..models.customer_update_in_type import CustomerUpdateInType
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.customer_update_in_metadata import CustomerUpdateInMetadata
  from ..models.residential_address_in import ResidentialAddressIn





T = TypeVar("T", bound="CustomerUpdateIn")



@_attrs_define
class CustomerUpdateIn:
    """ ``PUT /v1/customers/{id}``: a business's details are not changed here (the KYB flow changes
    them): the document leaves them out, and the server refuses them by name.

        Attributes:
            birth_date (datetime.date | Unset): YYYY-MM-DD, after 1900-01-01, of someone at least 18 years old.
            email (str | Unset):
            first_name (str | Unset): In Unicode NFC once stored; no control or bidirectional control character, and
                combining marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            last_name (str | Unset): In Unicode NFC once stored; no control or bidirectional control character, and
                combining marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            metadata (CustomerUpdateInMetadata | Unset): Up to 50 keys of at most 40 characters; values are strings (at most
                500 characters), numbers, booleans or null.
            middle_name (str | Unset): In Unicode NFC once stored; no control or bidirectional control character, and
                combining marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            phone (str | Unset): E.164 (+ and up to 15 digits), of a number libphonenumber judges valid (an assigned range,
                not merely the right length).
            residential_address (ResidentialAddressIn | Unset):
            share_token (str | Unset): A SumSub share token: its completed KYC is imported in the same call (the token is
                spent, never shown back).
            tax_id (str | Unset): kycrail extension (not in Swipelux's API). The tax identification number; with `taxIdType`
                and `taxIdCountry`. Never shown in any answer. Locked, like the name, once the KYC review is submitted.
            tax_id_country (CountryCode | Unset):
            tax_id_description (str | Unset): kycrail extension (not in Swipelux's API). What the number is; required with
                type `other`.
            tax_id_type (str | Unset): kycrail extension (not in Swipelux's API). `ssn` (US residents must give theirs),
                `passport`, `national_id`, `other` (with `taxIdDescription`), or a national code such as `cpf`.
            type_ (CustomerUpdateInType | Unset):
     """

    birth_date: datetime.date | Unset = UNSET
    email: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    metadata: CustomerUpdateInMetadata | Unset = UNSET
    middle_name: str | Unset = UNSET
    phone: str | Unset = UNSET
    residential_address: ResidentialAddressIn | Unset = UNSET
    share_token: str | Unset = UNSET
    tax_id: str | Unset = UNSET
    tax_id_country: CountryCode | Unset = UNSET
    tax_id_description: str | Unset = UNSET
    tax_id_type: str | Unset = UNSET
    type_: CustomerUpdateInType | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_update_in_metadata import CustomerUpdateInMetadata # noqa: PLC0415
        from ..models.residential_address_in import ResidentialAddressIn # noqa: PLC0415
        birth_date: str | Unset = UNSET
        if not isinstance(self.birth_date, Unset):
            birth_date = self.birth_date.isoformat()

        email = self.email

        first_name = self.first_name

        last_name = self.last_name

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        middle_name = self.middle_name

        phone = self.phone

        residential_address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.residential_address, Unset):
            residential_address = self.residential_address.to_dict()

        share_token = self.share_token

        tax_id = self.tax_id

        tax_id_country: str | Unset = UNSET
        if not isinstance(self.tax_id_country, Unset):
            tax_id_country = self.tax_id_country.value


        tax_id_description = self.tax_id_description

        tax_id_type = self.tax_id_type

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if birth_date is not UNSET:
            field_dict["birthDate"] = birth_date
        if email is not UNSET:
            field_dict["email"] = email
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if middle_name is not UNSET:
            field_dict["middleName"] = middle_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if residential_address is not UNSET:
            field_dict["residentialAddress"] = residential_address
        if share_token is not UNSET:
            field_dict["shareToken"] = share_token
        if tax_id is not UNSET:
            field_dict["taxId"] = tax_id
        if tax_id_country is not UNSET:
            field_dict["taxIdCountry"] = tax_id_country
        if tax_id_description is not UNSET:
            field_dict["taxIdDescription"] = tax_id_description
        if tax_id_type is not UNSET:
            field_dict["taxIdType"] = tax_id_type
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_update_in_metadata import CustomerUpdateInMetadata # noqa: PLC0415
        from ..models.residential_address_in import ResidentialAddressIn # noqa: PLC0415
        d = dict(src_dict)
        _birth_date = d.pop("birthDate", UNSET)
        birth_date: datetime.date | Unset
        if isinstance(_birth_date,  Unset):
            birth_date = UNSET
        else:
            birth_date = datetime.date.fromisoformat(_birth_date)




        email = d.pop("email", UNSET)

        first_name = d.pop("firstName", UNSET)

        last_name = d.pop("lastName", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: CustomerUpdateInMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = CustomerUpdateInMetadata.from_dict(_metadata)




        middle_name = d.pop("middleName", UNSET)

        phone = d.pop("phone", UNSET)

        _residential_address = d.pop("residentialAddress", UNSET)
        residential_address: ResidentialAddressIn | Unset
        if isinstance(_residential_address,  Unset):
            residential_address = UNSET
        else:
            residential_address = ResidentialAddressIn.from_dict(_residential_address)




        share_token = d.pop("shareToken", UNSET)

        tax_id = d.pop("taxId", UNSET)

        _tax_id_country = d.pop("taxIdCountry", UNSET)
        tax_id_country: CountryCode | Unset
        if isinstance(_tax_id_country,  Unset):
            tax_id_country = UNSET
        else:
            tax_id_country = CountryCode(_tax_id_country)




        tax_id_description = d.pop("taxIdDescription", UNSET)

        tax_id_type = d.pop("taxIdType", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: CustomerUpdateInType | Unset
        if isinstance(_type_,  Unset):
            type_ = UNSET
        else:
            type_ = CustomerUpdateInType(_type_)




        customer_update_in = cls(
            birth_date=birth_date,
            email=email,
            first_name=first_name,
            last_name=last_name,
            metadata=metadata,
            middle_name=middle_name,
            phone=phone,
            residential_address=residential_address,
            share_token=share_token,
            tax_id=tax_id,
            tax_id_country=tax_id_country,
            tax_id_description=tax_id_description,
            tax_id_type=tax_id_type,
            type_=type_,
        )

        return customer_update_in

