"""Country names as the lists write them, made ISO 3166-1 alpha-2 codes.

``pycountry`` knows the ISO names ("Russian Federation", "Iran, Islamic Republic of") and common ones
("Iran", "Syria"). The lists also use spellings of their own: OFAC's "Korea, North", "Burma" and
"Congo, Democratic Republic of the", the UN's "Iran (Islamic Republic of)" (read as "Iran, Islamic
Republic of"), and names written without their accents ("Cote d'Ivoire", "Curacao"). A small table
covers the first; the others are tried as variants.

A country that still maps to no code keeps the list's text, upper-cased ("NETHERLANDS ANTILLES",
"PALESTINIAN"): it is still compared as text, and never silently dropped. Kosovo is ``XK``, the code
in common use (the EU's own file uses it) though ISO has not assigned it. OFAC's "undetermined" is no
country at all and gives nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

__all__ = ["country_code", "country_codes"]

# Spellings the lists use that pycountry does not know, lower-case, without accents.
_SPELLINGS = {
    "burma": "MM",
    "russia": "RU",
    "korea, north": "KP",
    "korea, south": "KR",
    "north korea": "KP",
    "south korea": "KR",
    "republic of korea": "KR",
    "dprk": "KP",
    "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo, republic of the": "CG",
    "republic of the congo": "CG",
    "turkey": "TR",
    "macau": "MO",
    "brunei": "BN",
    "cape verde": "CV",
    "swaziland": "SZ",
    "macedonia": "MK",
    "ivory coast": "CI",
    "holy see": "VA",
    "vatican city": "VA",
    "micronesia": "FM",
    "east timor": "TL",
    "bahamas, the": "BS",
    "the bahamas": "BS",
    "gambia, the": "GM",
    "the gambia": "GM",
    "falkland islands": "FK",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "kosovo": "XK",
}

# Written where a country is unknown ("00": the EU's code for it): no country.
_NO_COUNTRY = frozenset({"", "00", "undetermined", "unknown", "-0-"})

# "Iran (Islamic Republic of)": the UN's form of ISO's "Iran, Islamic Republic of".
_PARENTHESISED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<qualifier>[^()]+)\)$")


def _fold(text: str) -> str:
    """Lower case, accents off, one space between words: how spellings are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


@lru_cache(maxsize=1)
def _folded_names() -> dict[str, str]:
    """Every pycountry name, official and common name, folded: finds "Cote d'Ivoire" and "Curacao"."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if isinstance(value, str):
                index.setdefault(_fold(value), country.alpha_2)
    return index


def _lookup(text: str) -> str | None:
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return _folded_names().get(_fold(text))


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The alpha-2 code of a country as a list writes it (a name, or already a code), its upper-cased
    text when it maps to none, or None when the list says there is no country."""
    folded = _fold(text)
    if folded in _NO_COUNTRY:
        return None
    if folded in _SPELLINGS:
        return _SPELLINGS[folded]
    found = _lookup(text.strip())
    parenthesised = _PARENTHESISED.match(text.strip())
    if found is None and parenthesised is not None:
        found = _lookup(f"{parenthesised['name']}, {parenthesised['qualifier']}")
    return found if found is not None else " ".join(text.split()).upper()


def country_codes(texts: list[str]) -> tuple[str, ...]:
    """Several countries, mapped, once each in their first order."""
    codes = (country_code(text) for text in texts)
    return tuple(dict.fromkeys(code for code in codes if code is not None))
