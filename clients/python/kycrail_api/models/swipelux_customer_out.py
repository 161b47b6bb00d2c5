from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.customer_type import CustomerType
from ..models.swipelux_status import SwipeluxStatus
from typing import cast

if TYPE_CHECKING:
  from ..models.requirements_out import RequirementsOut
  from ..models.residential_address_out import ResidentialAddressOut
  from ..models.swipelux_customer_out_metadata import SwipeluxCustomerOutMetadata





T = TypeVar("T", bound="SwipeluxCustomerOut")



@_attrs_define
class SwipeluxCustomerOut:
    """ 
        Attributes:
            birth_date (None | str):
            country (None | str):
            created_at (str):
            email (None | str):
            first_name (None | str):
            id (str):
            last_name (None | str):
            legal_name (None | str):
            metadata (SwipeluxCustomerOutMetadata):
            middle_name (None | str):
            phone (None | str):
            requirements (RequirementsOut):
            residential_address (None | ResidentialAddressOut):
            status (SwipeluxStatus):
            tax_id_country (None | str): kycrail extension: the country that issued it.
            tax_id_description (None | str): kycrail extension: what it is (type `other`).
            tax_id_type (None | str): kycrail extension: the tax identification's type.
            type_ (CustomerType):
            updated_at (str):
            website (None | str):
     """

    birth_date: None | str
    country: None | str
    created_at: str
    email: None | str
    first_name: None | str
    id: str
    last_name: None | str
    legal_name: None | str
    metadata: SwipeluxCustomerOutMetadata
    middle_name: None | str
    phone: None | str
    requirements: RequirementsOut
    residential_address: None | ResidentialAddressOut
    status: SwipeluxStatus
    tax_id_country: None | str
    tax_id_description: None | str
    tax_id_type: None | str
    type_: CustomerType
    updated_at: str
    website: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.requirements_out import RequirementsOut # noqa: PLC0415
        from ..models.residential_address_out import ResidentialAddressOut # noqa: PLC0415
        from ..models.swipelux_customer_out_metadata import SwipeluxCustomerOutMetadata # noqa: PLC0415
        birth_date: None | str
        birth_date = self.birth_date

        country: None | str
        country = self.country

        created_at = self.created_at

        email: None | str
        email = self.email

        first_name: None | str
        first_name = self.first_name

        id = self.id

        last_name: None | str
        last_name = self.last_name

        legal_name: None | str
        legal_name = self.legal_name

        metadata = self.metadata.to_dict()

        middle_name: None | str
        middle_name = self.middle_name

        phone: None | str
        phone = self.phone

        requirements = self.requirements.to_dict()

        residential_address: dict[str, Any] | None
        if isinstance(self.residential_address, ResidentialAddressOut):
            residential_address = self.residential_address.to_dict()
        else:
            residential_address = self.residential_address

        status = self.status.value

        tax_id_country: None | str
        tax_id_country = self.tax_id_country

        tax_id_description: None | str
        tax_id_description = self.tax_id_description

        tax_id_type: None | str
        tax_id_type = self.tax_id_type

        type_ = self.type_.value

        updated_at = self.updated_at

        website: None | str
        website = self.website


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "birthDate": birth_date,
            "country": country,
            "createdAt": created_at,
            "email": email,
            "firstName": first_name,
            "id": id,
            "lastName": last_name,
            "legalName": legal_name,
            "metadata": metadata,
            "middleName": middle_name,
            "phone": phone,
            "requirements": requirements,
            "residentialAddress": residential_address,
            "status": status,
            "taxIdCountry": tax_id_country,
            "taxIdDescription": tax_id_description,
            "taxIdType": tax_id_type,
            "type": type_,
            "updatedAt": updated_at,
            "website": website,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.requirements_out import RequirementsOut # noqa: PLC0415
        from ..models.residential_address_out import ResidentialAddressOut # noqa: PLC0415
        from ..models.swipelux_customer_out_metadata import SwipeluxCustomerOutMetadata # noqa: PLC0415
        d = dict(src_dict)
        def _parse_birth_date(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        birth_date = _parse_birth_date(d.pop("birthDate"))


        def _parse_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country = _parse_country(d.pop("country"))


        created_at = d.pop("createdAt")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))


        def _parse_first_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        first_name = _parse_first_name(d.pop("firstName"))


        id = d.pop("id")

        def _parse_last_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_name = _parse_last_name(d.pop("lastName"))


        def _parse_legal_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        legal_name = _parse_legal_name(d.pop("legalName"))


        metadata = SwipeluxCustomerOutMetadata.from_dict(d.pop("metadata"))




        def _parse_middle_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        middle_name = _parse_middle_name(d.pop("middleName"))


        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))


        requirements = RequirementsOut.from_dict(d.pop("requirements"))




        def _parse_residential_address(data: object) -> None | ResidentialAddressOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                residential_address_type_0 = ResidentialAddressOut.from_dict(data)



                return residential_address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResidentialAddressOut, data)

        residential_address = _parse_residential_address(d.pop("residentialAddress"))


        status = SwipeluxStatus(d.pop("status"))




        def _parse_tax_id_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_id_country = _parse_tax_id_country(d.pop("taxIdCountry"))


        def _parse_tax_id_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_id_description = _parse_tax_id_description(d.pop("taxIdDescription"))


        def _parse_tax_id_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_id_type = _parse_tax_id_type(d.pop("taxIdType"))


        type_ = CustomerType(d.pop("type"))




        updated_at = d.pop("updatedAt")

        def _parse_website(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        website = _parse_website(d.pop("website"))


        swipelux_customer_out = cls(
            birth_date=birth_date,
            country=country,
            created_at=created_at,
            email=email,
            first_name=first_name,
            id=id,
            last_name=last_name,
            legal_name=legal_name,
            metadata=metadata,
            middle_name=middle_name,
            phone=phone,
            requirements=requirements,
            residential_address=residential_address,
            status=status,
            tax_id_country=tax_id_country,
            tax_id_description=tax_id_description,
            tax_id_type=tax_id_type,
            type_=type_,
            updated_at=updated_at,
            website=website,
        )


        swipelux_customer_out.additional_properties = d
        return swipelux_customer_out

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
