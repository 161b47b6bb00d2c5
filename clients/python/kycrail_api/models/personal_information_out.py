from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PersonalInformationOut")



@_attrs_define
class PersonalInformationOut:
    """ What the API shows of an identity: everything but the tax identification number itself.

        Attributes:
            country_of_birth (None | str):
            date_of_birth (None | str):
            first_name (None | str):
            gender (None | str):
            last_name (None | str):
            middle_name (None | str):
            nationality (None | str):
            occupation_soc_code (None | str):
            residency_country (None | str):
            source_of_funds (None | str):
            tax_identification_number_country (None | str):
            tax_identification_number_description (None | str):
            tax_identification_number_type (None | str):
     """

    country_of_birth: None | str
    date_of_birth: None | str
    first_name: None | str
    gender: None | str
    last_name: None | str
    middle_name: None | str
    nationality: None | str
    occupation_soc_code: None | str
    residency_country: None | str
    source_of_funds: None | str
    tax_identification_number_country: None | str
    tax_identification_number_description: None | str
    tax_identification_number_type: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        country_of_birth: None | str
        country_of_birth = self.country_of_birth

        date_of_birth: None | str
        date_of_birth = self.date_of_birth

        first_name: None | str
        first_name = self.first_name

        gender: None | str
        gender = self.gender

        last_name: None | str
        last_name = self.last_name

        middle_name: None | str
        middle_name = self.middle_name

        nationality: None | str
        nationality = self.nationality

        occupation_soc_code: None | str
        occupation_soc_code = self.occupation_soc_code

        residency_country: None | str
        residency_country = self.residency_country

        source_of_funds: None | str
        source_of_funds = self.source_of_funds

        tax_identification_number_country: None | str
        tax_identification_number_country = self.tax_identification_number_country

        tax_identification_number_description: None | str
        tax_identification_number_description = self.tax_identification_number_description

        tax_identification_number_type: None | str
        tax_identification_number_type = self.tax_identification_number_type


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "countryOfBirth": country_of_birth,
            "dateOfBirth": date_of_birth,
            "firstName": first_name,
            "gender": gender,
            "lastName": last_name,
            "middleName": middle_name,
            "nationality": nationality,
            "occupationSocCode": occupation_soc_code,
            "residencyCountry": residency_country,
            "sourceOfFunds": source_of_funds,
            "taxIdentificationNumberCountry": tax_identification_number_country,
            "taxIdentificationNumberDescription": tax_identification_number_description,
            "taxIdentificationNumberType": tax_identification_number_type,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_country_of_birth(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country_of_birth = _parse_country_of_birth(d.pop("countryOfBirth"))


        def _parse_date_of_birth(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        date_of_birth = _parse_date_of_birth(d.pop("dateOfBirth"))


        def _parse_first_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        first_name = _parse_first_name(d.pop("firstName"))


        def _parse_gender(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gender = _parse_gender(d.pop("gender"))


        def _parse_last_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_name = _parse_last_name(d.pop("lastName"))


        def _parse_middle_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        middle_name = _parse_middle_name(d.pop("middleName"))


        def _parse_nationality(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        nationality = _parse_nationality(d.pop("nationality"))


        def _parse_occupation_soc_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        occupation_soc_code = _parse_occupation_soc_code(d.pop("occupationSocCode"))


        def _parse_residency_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        residency_country = _parse_residency_country(d.pop("residencyCountry"))


        def _parse_source_of_funds(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source_of_funds = _parse_source_of_funds(d.pop("sourceOfFunds"))


        def _parse_tax_identification_number_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_identification_number_country = _parse_tax_identification_number_country(d.pop("taxIdentificationNumberCountry"))


        def _parse_tax_identification_number_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_identification_number_description = _parse_tax_identification_number_description(d.pop("taxIdentificationNumberDescription"))


        def _parse_tax_identification_number_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_identification_number_type = _parse_tax_identification_number_type(d.pop("taxIdentificationNumberType"))


        personal_information_out = cls(
            country_of_birth=country_of_birth,
            date_of_birth=date_of_birth,
            first_name=first_name,
            gender=gender,
            last_name=last_name,
            middle_name=middle_name,
            nationality=nationality,
            occupation_soc_code=occupation_soc_code,
            residency_country=residency_country,
            source_of_funds=source_of_funds,
            tax_identification_number_country=tax_identification_number_country,
            tax_identification_number_description=tax_identification_number_description,
            tax_identification_number_type=tax_identification_number_type,
        )


        personal_information_out.additional_properties = d
        return personal_information_out

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
