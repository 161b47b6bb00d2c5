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
# The same rules as the API document writes them (JSON Schema patterns): no control character; no
# bidirectional control in a name (lone surrogates need no pattern: JSON text in UTF-8 holds none).
PLAIN_TEXT_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
FREE_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
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
    bidirectional control character and no combining mark that no spelling uses (``_mark_problem``)."""
    if _BIDI_CONTROL.search(value):
        raise ValueError("Names must not contain bidirectional control characters")
    name = unicodedata.normalize("NFC", value)
    problem = _mark_problem(name)
    if problem is not None:
        raise ValueError(problem)
    return name


# Combining marks a name may carry, judged after NFC (which composes real accents into their letter:
# "é" and Vietnamese "ệ" are one code point each). Strikethrough and other overlays (canonical
# combining class 1) and enclosing marks (category Me) are decoration, never spelling. A Latin, Greek
# or Cyrillic letter keeps at most one mark (Yoruba's "ọ̀": a dot below composed, a tone mark apart).
# Other scripts build letters from marks: Thai puts a tone mark over a vowel sign ("ที่"), Hindi a
# nukta, a vowel sign and an anusvara on one consonant ("ग़ुं"), Myanmar a medial, vowel signs and
# a final ("ကျော်", five in "မျှော်"): at most five marks there, and none of the generic diacritics
# (the blocks zalgo text stacks, which those scripts do not use). No letter carries a mark twice.
_OVERLAY_COMBINING_CLASS = 1
_ONE_MARK_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
_MOST_MARKS_ELSEWHERE = 5
_GENERIC_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_OVERLAY = "Names must not contain overlay or enclosing marks"
_STACKED = "Names must not stack combining marks beyond what a letter's script uses"
_STRAY = "In names, a combining mark must follow a letter"


def _mark_problem(name: str) -> str | None:
    """Why the combining marks of ``name`` (in NFC) are no spelling, or None when they are."""
    for base, marks in _marked_characters(name):
        if any(_is_decoration(mark) for mark in marks):
            return _OVERLAY
        if base is None or not unicodedata.category(base).startswith("L"):
            return _STRAY
        if not _marks_fit(base, marks):
            return _STACKED
    return None


def _marked_characters(text: str) -> list[tuple[str | None, str]]:
    """Each character that carries combining marks, with them; None for marks that open the text."""
    marked: list[tuple[str | None, str]] = []
    base: str | None = None
    marks = ""
    for char in text:
        if unicodedata.category(char).startswith("M"):
            marks += char
            continue
        if marks:
            marked.append((base, marks))
        base, marks = char, ""
    if marks:
        marked.append((base, marks))
    return marked


def _is_decoration(mark: str) -> bool:
    return unicodedata.combining(mark) == _OVERLAY_COMBINING_CLASS or unicodedata.category(mark) == "Me"


def _marks_fit(letter: str, marks: str) -> bool:
    if _repeats_a_mark(letter + marks):
        return False
    if _script(letter) in _ONE_MARK_SCRIPTS:
        return len(marks) == 1
    return len(marks) <= _MOST_MARKS_ELSEWHERE and not _GENERIC_MARKS.search(marks)


def _repeats_a_mark(character: str) -> bool:
    """The same mark twice on one letter, counting those NFC composed into it ("é" and another acute)."""
    marks = unicodedata.normalize("NFD", character)[1:]
    return len(set(marks)) != len(marks)


def _script(letter: str) -> str:
    """The script a letter's Unicode name starts with ("LATIN"), its compatibility form's for a fullwidth
    or styled letter: close enough to Unicode's Script property for telling these scripts apart."""
    plain = unicodedata.normalize("NFKD", letter)[:1] or letter
    return unicodedata.name(plain, "").partition(" ")[0]


# --- email -------------------------------------------------------------------------------------

_MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path, less the angle brackets
_MAX_LOCAL_PART_LENGTH = 64
# ASCII only: internationalised domains must arrive in their xn-- (punycode) form.
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# Letters, or an internationalised TLD in its ASCII form ("xn--p1ai"): both are real top-level domains.
_TLD = re.compile(r"[a-z]{2,}|xn--[a-z0-9-]{2,59}")

_BAD_EMAIL = "Invalid email format"


def _is_invisible(char: str) -> bool:
    # Whitespace, controls and other "C" categories (format, unassigned...) cannot be seen or
    # typed back, so an address holding them is a mistake or a spoof.
    return char.isspace() or unicodedata.category(char).startswith("C")


def normalise_email(value: str) -> str:
    """An email address, stripped, in Unicode NFC and lower-cased: one form for one address, so that
    "josé" composed and decomposed are the same customer's (its blind index is of this form)."""
    # Lower-case before checking: lowering some non-ASCII letters changes the length, and the
    # result must pass again unchanged. NFC again after lowering: a lowered letter may compose with
    # the mark after it (Greek "Ά" with a ypogegrammeni).
    email = unicodedata.normalize("NFC", unicodedata.normalize("NFC", value.strip()).lower())
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


# A virama (canonical combining class 9) is no accent: it joins consonants ("श्री" is not "शरी").
_VIRAMA_COMBINING_CLASS = 9


def same_name(a: str, b: str) -> bool:
    """Names compared as a person reads them, on one normal form (``_name_key``): Unicode forms, case,
    accents and runs of whitespace do not count ("JOSÉ  María" is "Jose Maria", "Jane" in fullwidth
    letters is "Jane"); other letters do. Names that compare equal may still be spelt differently:
    this decides whether two names are one, never which spelling to keep."""
    return _name_key(a) == _name_key(b)


def _name_key(text: str) -> str:
    """The normal form names are compared on: NFKC (fullwidth letters, ligatures and styled letters are
    their plain letters), case folded, accents removed (the combining marks that have a canonical
    combining class, viramas excepted), runs of whitespace made one space and none at either end."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    bare = "".join(char for char in folded if not _is_accent(char))
    return " ".join(unicodedata.normalize("NFKC", bare).split())


def _is_accent(char: str) -> bool:
    return unicodedata.combining(char) not in (0, _VIRAMA_COMBINING_CLASS)


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
ALPHA3_CODES = sorted(_ALPHA3_CODES)  # as the API document lists them


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
US_STATE_CODES = sorted(_US_STATE_CODES)  # as the API document lists them


def us_state_code(value: str) -> str:
    """A USPS two-letter state, district, territory or armed-forces code, upper-cased."""
    code = value.upper()
    # isascii: str.upper maps some non-ASCII letters onto ASCII ones (dotless i, U+0131, -> "I").
    if not value.isascii() or code not in _US_STATE_CODES:
        raise ValueError("State must be a two-letter US state code, e.g. CA")
    return code


_ZIP = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")
ZIP_PATTERN = f"^{_ZIP.pattern}$"


def us_postal_code(value: str) -> str:
    """A US ZIP or ZIP+4 code, stripped of surrounding whitespace."""
    code = value.strip()
    if not _ZIP.fullmatch(code):
        raise ValueError("Postal code must be a US ZIP code (12345 or 12345-6789)")
    return code


# --- tax identification ------------------------------------------------------------------------

_SSN = re.compile(r"([0-9]{3})-?([0-9]{2})-?([0-9]{4})")
# An SSN the SSA may issue, in the form the document names (dashes): area 001-899 but 666, group 01-99,
# serial 0001-9999. ``ssn`` also takes it without dashes.
SSN_PATTERN = (
    r"^(00[1-9]|0[1-9][0-9]|[1-5][0-9]{2}|6[0-5][0-9]|66[0-57-9]|6[7-9][0-9]|[78][0-9]{2})"
    r"-(0[1-9]|[1-9][0-9])-(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})$"
)


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


def date_of_birth_pattern(today: date) -> str:
    """The dates of birth the API document promises are taken on ``today``: from 1901 through the last
    year whose every day is MINIMUM_AGE years gone, each month's first 28 days (a subset of what
    ``date_of_birth`` takes, written as a pattern a client's validator can check)."""
    last = today.year - MINIMUM_AGE - 1
    years = [f"{year:04d}" for year in range(_EARLIEST_BIRTH_DATE.year + 1, last + 1)]
    by_decade: dict[str, list[str]] = {}
    for year in years:
        by_decade.setdefault(year[:3], []).append(year[3])
    decades = "|".join(
        f"{decade}[{digits[0]}-{digits[-1]}]" if len(digits) > 1 else decade + digits[0]
        for decade, digits in by_decade.items()
    )
    return rf"^({decades})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"


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
