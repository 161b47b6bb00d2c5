"""Who a customer is, for a screening: the name, date of birth and countries a list entry is compared
with. Pure: a customer in, a ``Query`` (or nothing to screen) out."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from kycrail.customers.model import Customer, CustomerType
from kycrail.screening.matching import Query


@lru_cache(maxsize=512)
def _alpha_2(alpha_3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=alpha_3)
    return country.alpha_2 if country is not None else None


def _countries(*alpha_3: str | None) -> frozenset[str]:
    return frozenset(code for a3 in alpha_3 if a3 and (code := _alpha_2(a3)) is not None)


def query_of(customer: Customer) -> Query | None:
    """The customer as a screening query; None while it has no name to screen (a customer created
    with ``{}``, a business without its legal name)."""
    address_country = customer.address.country if customer.address else None
    if customer.type is CustomerType.business:
        business = customer.business
        if business is None or not business.legal_name:
            return None
        return Query.business(
            business.legal_name, countries=_countries(business.incorporation_country, address_country)
        )
    identity = customer.identity
    if not (identity.first_name or identity.last_name):
        return None
    return Query.individual(
        identity.first_name or "",
        identity.last_name or "",
        identity.middle_name or "",
        birth_date=identity.date_of_birth,
        countries=_countries(
            identity.nationality, identity.residency_country, identity.country_of_birth, address_country
        ),
    )


def needs_screening(before: Customer | None, after: Customer) -> bool:
    """Whether a write changed what the customer is screened by (a name, date of birth, country)."""
    query = query_of(after)
    return query is not None and (before is None or query_of(before) != query)
