"""Field rules for customer data: pure validators shared by both wire dialects' schemas.

Each validator takes a raw value and returns it normalised, or raises ``ValueError`` with a short
message fit to show an API caller. No I/O and no framework, so the schemas (and anything else)
can call them directly. Messages never repeat a tax number back: they end up in logs and responses.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

import phonenumbers
import pycountry

__all__ = [
    "MAX_META_KEYS",
    "MAX_META_KEY_LENGTH",
    "MAX_META_STRING_LENGTH",
    "MINIMUM_AGE",
    "country_alpha3",
    "date_of_birth",
    "free_text",
    "meta_problems",
    "normalise_email",
    "normalise_name",
    "normalise_phone",
    "plain_text",
    "same_name",
    "ssn",
    "us_postal_code",
    "us_state_code",
]

MINIMUM_AGE = 18
MAX_META_KEYS = 50
MAX_META_KEY_LENGTH = 40
MAX_META_STRING_LENGTH = 500

# --- text --------------------------------------------------------------------------------------

# What no client string may hold: lone surrogates (they have no UTF-8 form, so no JSON encoder or
# database takes them) and Unicode's control characters (Cc: C0, DEL and C1; PostgreSQL's text and
# jsonb refuse NUL). One precompiled search per string: validation is on every request's path.
_CONTROL_OR_SURROGATE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Free text (a reviewer's message, a meta string value) may also hold tab and line breaks (LF, CR).
_CONTROL_OR_SURROGATE_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidirectional controls change the order text is displayed in: a name holding them can show as
# another name.
_BIDI_CONTROL = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain_text(value: str) -> str:
    """A string with no control character (tab and newline included) and no lone surrogate."""
    if _CONTROL_OR_SURROGATE.search(value):
        raise ValueError("Must not contain control characters (tab and newline included) or lone surrogates")
    return value


def free_text(value: str) -> str:
    """Free text: as ``plain_text``, but tab and line breaks (LF, CR) are allowed."""
    if _CONTROL_OR_SURROGATE_IN_FREE_TEXT.search(value):
        raise ValueError("May hold tab and line breaks but no other control character or lone surrogate")
    return value


def normalise_name(value: str) -> str:
    """A person's or a business's name in Unicode NFC (one spelling of "José", not two), with no
    bidirectional control character."""
    if _BIDI_CONTROL.search(value):
        raise ValueError("Names must not contain bidirectional control characters")
    return unicodedata.normalize("NFC", value)


# --- email -------------------------------------------------------------------------------------

_MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path, less the angle brackets
_MAX_LOCAL_PART_LENGTH = 64
# ASCII only: internationalised domains must arrive in their xn-- (punycode) form.
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,}")

_BAD_EMAIL = "Invalid email format"


def _is_invisible(char: str) -> bool:
    # Whitespace, controls and other "C" categories (format, unassigned...) cannot be seen or
    # typed back, so an address holding them is a mistake or a spoof.
    return char.isspace() or unicodedata.category(char).startswith("C")


def normalise_email(value: str) -> str:
    """An email address, stripped and lower-cased."""
    # Lower-case before checking: lowering some non-ASCII letters changes the length, and the
    # result must pass again unchanged.
    email = value.strip().lower()
    if len(email) > _MAX_EMAIL_LENGTH:
        raise ValueError(f"Email must be at most {_MAX_EMAIL_LENGTH} characters")
    local, at, domain = email.partition("@")
    if not at or "@" in domain:
        raise ValueError(_BAD_EMAIL)
    if not local or len(local) > _MAX_LOCAL_PART_LENGTH or any(_is_invisible(c) for c in local):
        raise ValueError(_BAD_EMAIL)
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        raise ValueError(_BAD_EMAIL)
    if not _TLD.fullmatch(labels[-1]):
        raise ValueError(_BAD_EMAIL)
    return email


# --- names -------------------------------------------------------------------------------------


def same_name(a: str, b: str) -> bool:
    """Names compared as a person reads them: Unicode forms (NFC or decomposed), case, accents and
    runs of whitespace do not count ("JOSÉ  María" is "Jose Maria"); other letters do."""

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())

    return fold(a) == fold(b)


# --- phone -------------------------------------------------------------------------------------

# Sphere's pattern ^\+(?:[0-9]){6,14}[0-9]$, as a fullmatch: "$" would also let a trailing
# newline through, and [0-9] (not \d) keeps out non-ASCII digits.
_E164 = re.compile(r"\+[0-9]{6,14}[0-9]")


def normalise_phone(value: str) -> str:
    """A phone number in E.164 form that libphonenumber considers valid (not merely possible)."""
    if not _E164.fullmatch(value):
        raise ValueError("Phone must be in E.164 format, e.g. +14155550123")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        # Only an unknown country calling code gets this far (e.g. +999...).
        raise ValueError("Phone number is not a valid number") from None
    # Strict validity is enough: libphonenumber accepts Sphere's own example, +14155550123.
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Phone number is not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- addresses ---------------------------------------------------------------------------------

_ALPHA3_CODES = frozenset(country.alpha_3 for country in pycountry.countries)


def country_alpha3(value: str) -> str:
    """An ISO 3166-1 alpha-3 country code, upper-cased."""
    code = value.upper()
    # isascii: str.upper maps some non-ASCII letters onto ASCII ones ("ﬁn" -> "FIN").
    if not value.isascii() or code not in _ALPHA3_CODES:
        raise ValueError("Country must be an ISO 3166-1 alpha-3 code, e.g. USA")
    return code


# USPS codes: the 50 states and DC, the territories, and the military "states". Spelled out
# rather than read from pycountry so the accepted set cannot drift with a data update.
_US_STATE_CODES = frozenset(
    {
        # states
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
        "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
        "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
        "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        # district
        "DC",
        # territories and outlying areas
        "PR", "GU", "VI", "AS", "MP", "UM",
        # armed forces: Americas, Europe, Pacific
        "AA", "AE", "AP",
    }
)  # fmt: skip


def us_state_code(value: str) -> str:
    """A USPS two-letter state, district, territory or armed-forces code, upper-cased."""
    code = value.upper()
    # isascii: str.upper maps some non-ASCII letters onto ASCII ones (dotless i, U+0131, -> "I").
    if not value.isascii() or code not in _US_STATE_CODES:
        raise ValueError("State must be a two-letter US state code, e.g. CA")
    return code


_ZIP = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")


def us_postal_code(value: str) -> str:
    """A US ZIP or ZIP+4 code, stripped of surrounding whitespace."""
    code = value.strip()
    if not _ZIP.fullmatch(code):
        raise ValueError("Postal code must be a US ZIP code (12345 or 12345-6789)")
    return code


# --- tax identification ------------------------------------------------------------------------

_SSN = re.compile(r"([0-9]{3})-?([0-9]{2})-?([0-9]{4})")


def ssn(value: str) -> str:
    """A US Social Security number, as ``AAA-GG-SSSS``."""
    # The message never includes the value: it is a tax number.
    message = "Tax identification number must be a well-formed SSN (AAA-GG-SSSS)"
    match = _SSN.fullmatch(value)
    # Either both dashes or none: "123-456789" is neither form.
    if match is None or value.count("-") not in (0, 2):
        raise ValueError(message)
    area, group, serial = match.groups()
    # The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000.
    if area in ("000", "666") or int(area) >= 900 or group == "00" or serial == "0000":
        raise ValueError(message)
    return f"{area}-{group}-{serial}"


# --- date of birth -----------------------------------------------------------------------------

_EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _adulthood(born: date) -> date:
    """The day someone born on ``born`` reaches MINIMUM_AGE."""
    try:
        return born.replace(year=born.year + MINIMUM_AGE)
    except ValueError:
        # Born on 29 February: in a non-leap year the birthday has passed once February ends.
        return date(born.year + MINIMUM_AGE, 3, 1)


def date_of_birth(value: date, today: date) -> date:
    """A date of birth of someone at least MINIMUM_AGE years old on ``today``."""
    if value > today:
        raise ValueError("Date of birth must be in the past")
    if value < _EARLIEST_BIRTH_DATE:
        raise ValueError("Date of birth must be after 1900-01-01")
    if _adulthood(value) > today:
        raise ValueError(f"Customer must be at least {MINIMUM_AGE} years old")
    return value


# --- meta --------------------------------------------------------------------------------------


def _pointer(key: str) -> str:
    """The relative JSON pointer (RFC 6901) to ``key`` of an object."""
    return "/" + key.replace("~", "~0").replace("/", "~1")


_META_VALUE_TEXT = (
    "Meta string values may hold tab and line breaks but no other control character or lone surrogate"
)


def _is_primitive(item: object) -> bool:
    # bool is an int, so it passes as one; NaN and the infinities have no JSON form.
    if isinstance(item, float):
        return math.isfinite(item)
    return item is None or isinstance(item, str | int)


def meta_problems(meta: object) -> list[tuple[str, str]]:
    """Every way ``meta`` breaks Sphere's metadata rules, as (JSON pointer, message); [] if none."""
    if not isinstance(meta, dict) or not all(isinstance(key, str) for key in meta):
        return [("", "Meta must be an object")]
    problems: list[tuple[str, str]] = []
    if len(meta) > MAX_META_KEYS:
        problems.append(("", f"Meta may hold at most {MAX_META_KEYS} keys"))
    for key, item in meta.items():
        where = _pointer(key)
        if not 1 <= len(key) <= MAX_META_KEY_LENGTH:
            problems.append((where, f"Meta keys must be 1 to {MAX_META_KEY_LENGTH} characters"))
        if _CONTROL_OR_SURROGATE.search(key):
            problems.append((where, "Meta keys must not contain control characters or lone surrogates"))
        if not _is_primitive(item):
            problems.append((where, "Meta values must be strings, numbers, booleans or null"))
        elif isinstance(item, str):
            if len(item) > MAX_META_STRING_LENGTH:
                message = f"Meta string values must be at most {MAX_META_STRING_LENGTH} characters"
                problems.append((where, message))
            if _CONTROL_OR_SURROGATE_IN_FREE_TEXT.search(item):
                problems.append((where, _META_VALUE_TEXT))
    return problems
