from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.country_code import CountryCode
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PersonalInformationIn")



@_attrs_define
class PersonalInformationIn:
    """ 
        Attributes:
            country_of_birth (CountryCode | Unset):
            date_of_birth (datetime.date | Unset): YYYY-MM-DD, after 1900-01-01, of someone at least 18 years old.
            first_name (str | Unset): In Unicode NFC once stored; no control or bidirectional control character, and
                combining marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            gender (str | Unset):
            last_name (str | Unset): In Unicode NFC once stored; no control or bidirectional control character, and
                combining marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            middle_name (str | Unset): In Unicode NFC once stored; no control or bidirectional control character, and
                combining marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).
            nationality (CountryCode | Unset):
            occupation_soc_code (str | Unset):
            residency_country (CountryCode | Unset):
            source_of_funds (str | Unset):
            tax_identification_number (str | Unset): Never shown in any answer (the customer shows its type and country
                only).
            tax_identification_number_country (CountryCode | Unset):
            tax_identification_number_description (str | Unset):
            tax_identification_number_type (str | Unset):
     """

    country_of_birth: CountryCode | Unset = UNSET
    date_of_birth: datetime.date | Unset = UNSET
    first_name: str | Unset = UNSET
    gender: str | Unset = UNSET
    last_name: str | Unset = UNSET
    middle_name: str | Unset = UNSET
    nationality: CountryCode | Unset = UNSET
    occupation_soc_code: str | Unset = UNSET
    residency_country: CountryCode | Unset = UNSET
    source_of_funds: str | Unset = UNSET
    tax_identification_number: str | Unset = UNSET
    tax_identification_number_country: CountryCode | Unset = UNSET
    tax_identification_number_description: str | Unset = UNSET
    tax_identification_number_type: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        country_of_birth: str | Unset = UNSET
        if not isinstance(self.country_of_birth, Unset):
            country_of_birth = self.country_of_birth.value


        date_of_birth: str | Unset = UNSET
        if not isinstance(self.date_of_birth, Unset):
            date_of_birth = self.date_of_birth.isoformat()

        first_name = self.first_name

        gender = self.gender

        last_name = self.last_name

        middle_name = self.middle_name

        nationality: str | Unset = UNSET
        if not isinstance(self.nationality, Unset):
            nationality = self.nationality.value


        occupation_soc_code = self.occupation_soc_code

        residency_country: str | Unset = UNSET
        if not isinstance(self.residency_country, Unset):
            residency_country = self.residency_country.value


        source_of_funds = self.source_of_funds

        tax_identification_number = self.tax_identification_number

        tax_identification_number_country: str | Unset = UNSET
        if not isinstance(self.tax_identification_number_country, Unset):
            tax_identification_number_country = self.tax_identification_number_country.value


        tax_identification_number_description = self.tax_identification_number_description

        tax_identification_number_type = self.tax_identification_number_type


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if country_of_birth is not UNSET:
            field_dict["countryOfBirth"] = country_of_birth
        if date_of_birth is not UNSET:
            field_dict["dateOfBirth"] = date_of_birth
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if gender is not UNSET:
            field_dict["gender"] = gender
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if middle_name is not UNSET:
            field_dict["middleName"] = middle_name
        if nationality is not UNSET:
            field_dict["nationality"] = nationality
        if occupation_soc_code is not UNSET:
            field_dict["occupationSocCode"] = occupation_soc_code
        if residency_country is not UNSET:
            field_dict["residencyCountry"] = residency_country
        if source_of_funds is not UNSET:
            field_dict["sourceOfFunds"] = source_of_funds
        if tax_identification_number is not UNSET:
            field_dict["taxIdentificationNumber"] = tax_identification_number
        if tax_identification_number_country is not UNSET:
            field_dict["taxIdentificationNumberCountry"] = tax_identification_number_country
        if tax_identification_number_description is not UNSET:
            field_dict["taxIdentificationNumberDescription"] = tax_identification_number_description
        if tax_identification_number_type is not UNSET:
            field_dict["taxIdentificationNumberType"] = tax_identification_number_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _country_of_birth = d.pop("countryOfBirth", UNSET)
        country_of_birth: CountryCode | Unset
        if isinstance(_country_of_birth,  Unset):
            country_of_birth = UNSET
        else:
            country_of_birth = CountryCode(_country_of_birth)




        _date_of_birth = d.pop("dateOfBirth", UNSET)
        date_of_birth: datetime.date | Unset
        if isinstance(_date_of_birth,  Unset):
            date_of_birth = UNSET
        else:
            date_of_birth = datetime.date.fromisoformat(_date_of_birth)




        first_name = d.pop("firstName", UNSET)

        gender = d.pop("gender", UNSET)

        last_name = d.pop("lastName", UNSET)

        middle_name = d.pop("middleName", UNSET)

        _nationality = d.pop("nationality", UNSET)
        nationality: CountryCode | Unset
        if isinstance(_nationality,  Unset):
            nationality = UNSET
        else:
            nationality = CountryCode(_nationality)




        occupation_soc_code = d.pop("occupationSocCode", UNSET)

        _residency_country = d.pop("residencyCountry", UNSET)
        residency_country: CountryCode | Unset
        if isinstance(_residency_country,  Unset):
            residency_country = UNSET
        else:
            residency_country = CountryCode(_residency_country)




        source_of_funds = d.pop("sourceOfFunds", UNSET)

        tax_identification_number = d.pop("taxIdentificationNumber", UNSET)

        _tax_identification_number_country = d.pop("taxIdentificationNumberCountry", UNSET)
        tax_identification_number_country: CountryCode | Unset
        if isinstance(_tax_identification_number_country,  Unset):
            tax_identification_number_country = UNSET
        else:
            tax_identification_number_country = CountryCode(_tax_identification_number_country)




        tax_identification_number_description = d.pop("taxIdentificationNumberDescription", UNSET)

        tax_identification_number_type = d.pop("taxIdentificationNumberType", UNSET)

        personal_information_in = cls(
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
            tax_identification_number=tax_identification_number,
            tax_identification_number_country=tax_identification_number_country,
            tax_identification_number_description=tax_identification_number_description,
            tax_identification_number_type=tax_identification_number_type,
        )

        return personal_information_in

