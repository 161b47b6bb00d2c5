"""Plain values for the templates, read off the domain (a template calls no service and no rule)."""

from __future__ import annotations

from kycrail.customers.model import Address, Customer


def display_name(customer: Customer) -> str:
    if customer.business is not None:
        return customer.business.legal_name
    identity = customer.identity
    parts = [identity.first_name, identity.middle_name, identity.last_name]
    return " ".join(part for part in parts if part) or "(no name yet)"


def address_lines(address: Address | None) -> list[str]:
    if address is None:
        return []
    city = " ".join(part for part in (address.postal_code, address.city) if part)
    lines = [address.line1, address.line2, city, address.state, address.country]
    return [line for line in lines if line]
