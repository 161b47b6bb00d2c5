"""The field rules: each validator's accepted forms, its refusals and their messages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kycrail.customers import rules
from kycrail.customers.rules import (
    MAX_META_KEY_LENGTH,
    MAX_META_KEYS,
    MAX_META_STRING_LENGTH,
    MINIMUM_AGE,
    country_alpha3,
    date_of_birth,
    free_text,
    meta_problems,
    normalise_email,
    normalise_name,
    normalise_phone,
    plain_text,
    ssn,
    us_postal_code,
    us_state_code,
)
from tests.fuzz.hostile import BIDI_CONTROL_CHARACTERS, CONTROL_CHARACTERS, hostile_strings

# --- text --------------------------------------------------------------------------------------

PLAIN_TEXT = "Must not contain control characters (tab and newline included) or lone surrogates"
FREE_TEXT = "May hold tab and line breaks but no other control character or lone surrogate"
BIDI = "Names must not contain bidirectional control characters"


@pytest.mark.parametrize(
    "value", ["", "Jane", "José", "Jose\u0301", "O'Brien-Smith", "\u202eJane", "\U0001f600", "\u00a0 \u2028"]
)
def test_plain_and_free_text_accept_what_can_be_typed_and_stored(value: str) -> None:
    # Formatting characters, spaces and separators are not controls: names refuse bidi controls apart.
    assert plain_text(value) == value
    assert free_text(value) == value


@pytest.mark.parametrize("control", CONTROL_CHARACTERS)
def test_plain_text_refuses_every_control_character(control: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(PLAIN_TEXT)}$"):
        plain_text(f"Ja{control}ne")


@pytest.mark.parametrize("code", [0xD800, 0xDBFF, 0xDC00, 0xDFFF])
def test_plain_and_free_text_refuse_lone_surrogates(code: int) -> None:
    surrogate = chr(code)
    with pytest.raises(ValueError, match=f"^{re.escape(PLAIN_TEXT)}$"):
        plain_text(surrogate + "x")
    with pytest.raises(ValueError, match=f"^{re.escape(FREE_TEXT)}$"):
        free_text("x" + surrogate)


@pytest.mark.parametrize("control", [c for c in CONTROL_CHARACTERS if c not in "\t\n\r"])
def test_free_text_refuses_controls_but_tab_and_line_breaks(control: str) -> None:
    assert free_text("line one\r\n\tline two\n") == "line one\r\n\tline two\n"
    with pytest.raises(ValueError, match=f"^{re.escape(FREE_TEXT)}$"):
        free_text(f"line one{control}")


def _clean(text: str, allowed: str = "") -> bool:
    return not any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in text)


@given(st.one_of(hostile_strings(), st.text(st.characters(exclude_categories=()))))
def test_plain_text_either_refuses_or_returns_clean_text_unchanged(value: str) -> None:
    try:
        result = plain_text(value)
    except ValueError:
        assert not _clean(value)
        return
    assert result == value
    assert _clean(result)


@given(st.one_of(hostile_strings(), st.text(st.characters(exclude_categories=()))))
def test_free_text_either_refuses_or_returns_clean_text_unchanged(value: str) -> None:
    try:
        result = free_text(value)
    except ValueError:
        assert not _clean(value, allowed="\t\n\r")
        return
    assert result == value
    assert _clean(result, allowed="\t\n\r")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jose\u0301", "José"),
        ("José", "José"),
        ("A\u030angstro\u0308m", "Ångström"),
        ("\u212bngstr\u00f6m", "Ångström"),  # the Angstrom sign is a letter A with ring once composed
        ("Smith", "Smith"),
    ],
)
def test_normalise_name_composes(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize("bidi", BIDI_CONTROL_CHARACTERS)
def test_normalise_name_refuses_bidirectional_controls(bidi: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(BIDI)}$"):
        normalise_name(f"Smi{bidi}th")


# Real names, as their people write them: none may be refused by the rules on combining marks.
REAL_NAMES = [
    "José",
    "Jose\u0301",  # composed by NFC: one accent on its letter
    "Nguyễn Thị Bích Ngọc",
    "Nguye\u0302\u0303n",  # Vietnamese typed decomposed: NFC composes both accents into one letter
    "Ólafur",
    "Zoë",
    "Łukasz",
    "Ṣàngó",
    "Ọ\u0300laolú",  # Yoruba: a dot below (composed) and a tone mark NFC leaves apart
    "Ψυχή",
    "Дмитрий",
    "Ива\u0301н",  # a Cyrillic stress mark
    "山田太郎",
    "김민준",
    "محمد",
    "مُحَمَّد",  # with its vowel marks, and a shadda under a fatha on one letter
    "יוסף",
    "श्रीनिवास",
    "ग़ुंचा",  # nukta (NFC keeps it apart), vowel sign and anusvara on one letter
    "สมชาย ที่ดี",  # Thai: a tone mark over a vowel sign
    "ကျော်",  # Myanmar: a medial, two vowel signs and a final on one consonant
    "မျှော်",  # five: Myanmar's fullest
    "སྒྲོལ་མ",  # Tibetan: two subjoined letters and a vowel sign
    "渡邊\U000e0100",  # an ideographic variation sequence (a family name's own glyph)
    "O'Brien-Smith",
    "Mary Ann",
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_in_many_scripts_stay_valid(name: str) -> None:
    assert normalise_name(name) == unicodedata.normalize("NFC", name)


OVERLAY = "Names must not contain overlay or enclosing marks"
STACKED = "Names must not stack combining marks beyond what a letter's script uses"
STRAY = "In names, a combining mark must follow a letter"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("J\u0336a\u0336n\u0336e\u0336", OVERLAY),  # strikethrough
        ("Jane\u0334", OVERLAY),  # a tilde overlay
        ("Ja\u0338ne", OVERLAY),  # a long solidus overlay
        ("Jane\u20e0", OVERLAY),  # an enclosing circle backslash
        ("Jane\u20dd", OVERLAY),  # an enclosing circle
        ("ท\u0e35\u20dd", OVERLAY),  # on any letter
        ("J\u0300\u0301\u0302a\u0303\u0304ne", STACKED),  # zalgo
        ("Jane\u0301\u0301", STACKED),  # NFC composes one acute into the "e": the other is one too many
        ("Ja\u0323\u0301\u0300ne", STACKED),  # two marks left apart once NFC composed the first
        ("\u03a8\u0301\u0308\u03c5\u03c7\u03ae", STACKED),  # Ψ́̈υχή
        ("\u0414\u043c\u0438\u0301\u0301\u0442\u0440\u0438\u0439", STACKED),  # Дми́́трий
        ("ท\u0e48\u0e48", STACKED),  # the same mark twice
        ("山\u0301", STACKED),  # a Latin accent on an ideograph: zalgo's alphabet
        ("ม\u0e34\u0e35\u0e36\u0e37\u0e48\u0e49", STACKED),  # six marks
        ("\u0301Jane", STRAY),
        ("Jane \u0301", STRAY),
        ("O'\u0301Brien", STRAY),
    ],
)
def test_normalise_name_refuses_marks_no_spelling_uses(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        normalise_name(name)


@given(hostile_strings())
def test_normalise_name_returns_nfc_without_bidi_controls(value: str) -> None:
    try:
        name = normalise_name(value)
    except ValueError:
        return
    assert unicodedata.is_normalized("NFC", name)
    assert not set(BIDI_CONTROL_CHARACTERS) & set(name)
    assert normalise_name(name) == name


# --- email -------------------------------------------------------------------------------------

BAD_EMAIL = "Invalid email format"
LONG_EMAIL = "Email must be at most 254 characters"
# Well-formed addresses of exactly 254 and 255 characters.
EMAIL_254 = "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 57 + ".io"
EMAIL_255 = "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 58 + ".io"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("alice@example.com", "alice@example.com"),
        ("  Alice.Smith+KYC@Example.CO.uk \n", "alice.smith+kyc@example.co.uk"),
        ("a@b.io", "a@b.io"),
        ("o'brien@mail-server.example.org", "o'brien@mail-server.example.org"),
        ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),
        ("x" * 64 + "@example.com", "x" * 64 + "@example.com"),
        (EMAIL_254, EMAIL_254),  # the limit itself is allowed
        ("  " + EMAIL_254 + "\n", EMAIL_254),  # counted after stripping
    ],
)
def test_normalise_email_accepts(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", BAD_EMAIL),
        ("alice", BAD_EMAIL),
        ("alice@", BAD_EMAIL),
        ("@example.com", BAD_EMAIL),
        ("alice@@example.com", BAD_EMAIL),
        ("alice@bob@example.com", BAD_EMAIL),
        ("alice@localhost", BAD_EMAIL),
        ("alice smith@example.com", BAD_EMAIL),
        ("alice\tsmith@example.com", BAD_EMAIL),
        ("alice\x00@example.com", BAD_EMAIL),
        ("alice\u200b@example.com", BAD_EMAIL),
        ("x" * 65 + "@example.com", BAD_EMAIL),
        ("alice@-example.com", BAD_EMAIL),
        ("alice@example-.com", BAD_EMAIL),
        ("alice@exa_mple.com", BAD_EMAIL),
        ("alice@example..com", BAD_EMAIL),
        ("alice@.example.com", BAD_EMAIL),
        ("alice@example.com.", BAD_EMAIL),
        ("alice@example.c", BAD_EMAIL),
        ("alice@example.c0m", BAD_EMAIL),
        ("alice@example.123", BAD_EMAIL),
        ("alice@" + "b" * 64 + ".com", BAD_EMAIL),
        ("alice@exämple.com", BAD_EMAIL),
        (EMAIL_255, LONG_EMAIL),
        ("a" * 300 + "@example.com", LONG_EMAIL),
    ],
)
def test_normalise_email_refuses(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        normalise_email(raw)


def test_email_limit_edge_cases_are_the_length_claimed() -> None:
    # Guards the parametrized cases above against miscounting.
    assert (len(EMAIL_254), len(EMAIL_255)) == (254, 255)


def _alphabetic_tld(email: str) -> bool:
    return email.rsplit(".", 1)[-1].isascii() and email.rsplit(".", 1)[-1].isalpha()


@given(st.emails().filter(_alphabetic_tld))
def test_normalise_email_accepts_generated_addresses(email: str) -> None:
    assert normalise_email(email) == email.lower()


@given(st.one_of(st.emails(), st.text(), st.text(alphabet="aB@.-_ \t1ß\u0130", max_size=20)))
def test_normalise_email_output_is_lower_case_and_idempotent(raw: str) -> None:
    try:
        email = normalise_email(raw)
    except ValueError:
        return
    assert email == email.lower()
    assert unicodedata.is_normalized("NFC", email)
    assert email == unicodedata.normalize("NFC", unicodedata.normalize("NFC", raw.strip()).lower())
    assert normalise_email(email) == email


@pytest.mark.parametrize(
    "raw",
    [
        "josé.x@example.com",
        "jose\u0301.x@example.com",  # decomposed: the same address
        "JOSE\u0301.X@Example.com",
        "JOSÉ.X@EXAMPLE.COM",
    ],
)
def test_normalise_email_puts_the_address_in_one_normal_form(raw: str) -> None:
    assert normalise_email(raw) == "josé.x@example.com"


@given(st.text(alphabet="aeioAEIO\u0301\u0308\u0345\u0342\u0391\u0397\u03a9", min_size=1, max_size=8))
def test_canonically_equivalent_addresses_normalise_alike(local: str) -> None:
    composed, decomposed = (unicodedata.normalize(form, local) + "@example.com" for form in ("NFC", "NFD"))
    assert _outcome(normalise_email, decomposed) == _outcome(normalise_email, composed)


def _outcome(validate: Callable[[str], str], value: str) -> str:
    """What a validator answers: its value, or its refusal's message."""
    try:
        return validate(value)
    except ValueError as refused:
        return f"refused: {refused}"


# --- phone -------------------------------------------------------------------------------------

PHONE_FORMAT = "Phone must be in E.164 format, e.g. +14155550123"
PHONE_INVALID = "Phone number is not a valid number"


@pytest.mark.parametrize(
    "raw",
    [
        "+14155550123",  # Sphere's own example: must always validate
        "+12025550123",
        "+442071838750",
        "+447911123456",
        "+33612345678",
        "+4915123456789",
        "+8613800138000",
        "+390612345678",  # Italian numbers keep their leading zero in E.164
    ],
)
def test_normalise_phone_accepts(raw: str) -> None:
    assert normalise_phone(raw) == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", PHONE_FORMAT),
        ("14155550123", PHONE_FORMAT),
        ("+1 415 555 0123", PHONE_FORMAT),
        ("+1-415-555-0123", PHONE_FORMAT),
        ("+1415555012a", PHONE_FORMAT),
        ("+phone", PHONE_FORMAT),
        ("+12345", PHONE_FORMAT),  # 5 digits: too short for the pattern
        ("+1234567890123456", PHONE_FORMAT),  # 16 digits: too long
        ("+14155550123\n", PHONE_FORMAT),
        (" +14155550123", PHONE_FORMAT),
        ("+١٤١٥٥٥٥٠١٢٣", PHONE_FORMAT),  # Arabic-Indic digits are not [0-9]
        ("+10000000000", PHONE_INVALID),
        ("+11234567890", PHONE_INVALID),  # area codes never start with 1
        ("+15555555555", PHONE_INVALID),
        ("+99912345678", PHONE_INVALID),  # no such country calling code
        ("+1415555012", PHONE_INVALID),  # a digit short for NANP
        ("+4420718387", PHONE_INVALID),
    ],
)
def test_normalise_phone_refuses(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        normalise_phone(raw)


@given(st.text(alphabet="+0123456789 -()", max_size=18))
def test_normalise_phone_output_is_sphere_e164(raw: str) -> None:
    try:
        phone = normalise_phone(raw)
    except ValueError:
        return
    assert re.fullmatch(r"\+[0-9]{6,14}[0-9]", phone)
    assert normalise_phone(phone) == phone


# --- country -----------------------------------------------------------------------------------

COUNTRY = "Country must be an ISO 3166-1 alpha-3 code, e.g. USA"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("USA", "USA"), ("usa", "USA"), ("Gbr", "GBR"), ("DEU", "DEU"), ("fin", "FIN"), ("ALA", "ALA")],
)
def test_country_alpha3_accepts(raw: str, expected: str) -> None:
    assert country_alpha3(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "US", "UK", "GB", "USAA", "XXX", "ZZZ", "UKR ", " USA", "840", "United States", "ﬁn", "u.s"],
)
def test_country_alpha3_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(COUNTRY)}$"):
        country_alpha3(raw)


# --- state -------------------------------------------------------------------------------------

STATE = "State must be a two-letter US state code, e.g. CA"

# Written out independently of the module's own table.
FIFTY_STATES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
    "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
    "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
    "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
]  # fmt: skip
ALL_STATE_CODES = {*FIFTY_STATES, "DC", "PR", "GU", "VI", "AS", "MP", "UM", "AA", "AE", "AP"}


def test_state_table_is_exactly_the_usps_set() -> None:
    assert len(FIFTY_STATES) == 50
    assert len(ALL_STATE_CODES) == 60
    assert {code for code in ALL_STATE_CODES if us_state_code(code) == code} == ALL_STATE_CODES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("CA", "CA"), ("ny", "NY"), ("Dc", "DC"), ("pr", "PR"), ("UM", "UM"), ("ae", "AE"), ("wy", "WY")],
)
def test_us_state_code_accepts(raw: str, expected: str) -> None:
    assert us_state_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "C", "XX", "ZZ", "California", "CAL", "US", "FM", "MH", "PW", "AR ", "\u0131d", "06"],
)
def test_us_state_code_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(STATE)}$"):
        us_state_code(raw)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=2, max_size=2))
def test_us_state_code_accepts_exactly_the_table(raw: str) -> None:
    if raw.upper() in ALL_STATE_CODES:
        assert us_state_code(raw) == raw.upper()
    else:
        with pytest.raises(ValueError, match=f"^{re.escape(STATE)}$"):
            us_state_code(raw)


# --- postal code -------------------------------------------------------------------------------

POSTAL = "Postal code must be a US ZIP code (12345 or 12345-6789)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("94105", "94105"), ("00501", "00501"), ("94105-1234", "94105-1234"), (" 10001 \n", "10001")],
)
def test_us_postal_code_accepts(raw: str, expected: str) -> None:
    assert us_postal_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "9410",
        "941055",
        "94105-123",
        "94105-12345",
        "941051234",
        "94105 1234",
        "ABCDE",
        "SW1A 1AA",
        "١٢٣٤٥",
    ],
)
def test_us_postal_code_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(POSTAL)}$"):
        us_postal_code(raw)


# --- SSN ---------------------------------------------------------------------------------------

SSN = "Tax identification number must be a well-formed SSN (AAA-GG-SSSS)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123-45-6789", "123-45-6789"),
        ("123456789", "123-45-6789"),
        ("001-01-0001", "001-01-0001"),
        ("665-99-9999", "665-99-9999"),
        ("667010001", "667-01-0001"),
        ("899-12-3456", "899-12-3456"),
    ],
)
def test_ssn_accepts(raw: str, expected: str) -> None:
    assert ssn(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "999123456",
        "123-00-4567",
        "123-45-0000",
        "12345678",
        "1234567890",
        "123-456789",
        "12345-6789",
        "123 45 6789",
        "123-45-678a",
        " 123-45-6789",
        "١٢٣٤٥٦٧٨٩",
    ],
)
def test_ssn_refuses_without_echoing_the_value(raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(SSN)}$") as excinfo:
        ssn(raw)
    if raw:
        assert raw not in str(excinfo.value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_ssn_accepts_nine_digits_iff_issuable(digits: str) -> None:
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    issuable = area not in (0, 666) and area < 900 and group != 0 and serial != 0
    canonical = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if issuable:
        assert ssn(digits) == canonical
        assert ssn(canonical) == canonical
    else:
        for form in (digits, canonical):
            with pytest.raises(ValueError, match=f"^{re.escape(SSN)}$") as excinfo:
                ssn(form)
            assert digits not in str(excinfo.value)


# --- date of birth -----------------------------------------------------------------------------

TODAY = date(2024, 6, 15)
IN_PAST = "Date of birth must be in the past"
TOO_OLD = "Date of birth must be after 1900-01-01"
TOO_YOUNG = "Customer must be at least 18 years old"


def test_minimum_age_is_eighteen() -> None:
    assert MINIMUM_AGE == 18


@pytest.mark.parametrize(
    ("born", "today"),
    [
        (date(2006, 6, 15), TODAY),  # eighteenth birthday today
        (date(2006, 6, 14), TODAY),
        (date(1990, 1, 1), TODAY),
        (date(1900, 1, 1), TODAY),
        (date(2004, 2, 29), date(2022, 3, 1)),  # leapling, non-leap year: adult on 1 March
        (date(2004, 2, 29), date(2024, 2, 29)),
        (date(2006, 2, 28), date(2024, 2, 28)),
    ],
)
def test_date_of_birth_accepts(born: date, today: date) -> None:
    assert date_of_birth(born, today) == born


@pytest.mark.parametrize(
    ("born", "today", "message"),
    [
        (TODAY + timedelta(days=1), TODAY, IN_PAST),
        (date(2100, 1, 1), TODAY, IN_PAST),
        (date(1899, 12, 31), TODAY, TOO_OLD),
        (date(1066, 10, 14), TODAY, TOO_OLD),
        (TODAY, TODAY, TOO_YOUNG),
        (date(2006, 6, 16), TODAY, TOO_YOUNG),  # eighteenth birthday tomorrow
        (date(2004, 2, 29), date(2022, 2, 28), TOO_YOUNG),  # leapling: not yet on 28 February
        (date(2006, 3, 1), date(2024, 2, 29), TOO_YOUNG),
    ],
)
def test_date_of_birth_refuses(born: date, today: date, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        date_of_birth(born, today)


def _age(born: date, today: date) -> int:
    # Completed years: a leapling's birthday counts as passed from 1 March in non-leap years.
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
)
def test_date_of_birth_accepts_iff_adult(born: date, today: date) -> None:
    if born > today:
        expected = IN_PAST
    elif _age(born, today) < MINIMUM_AGE:
        expected = TOO_YOUNG
    else:
        assert date_of_birth(born, today) == born
        return
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        date_of_birth(born, today)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 18 * 366))
def test_date_of_birth_refuses_anyone_under_eighteen(today: date, days_ago: int) -> None:
    born = today - timedelta(days=days_ago)
    if _age(born, today) >= MINIMUM_AGE:
        return  # 18 * 366 days reaches just past the eighteenth birthday
    with pytest.raises(ValueError, match=f"^{re.escape(TOO_YOUNG)}$"):
        date_of_birth(born, today)


# --- meta --------------------------------------------------------------------------------------

NOT_OBJECT = ("", "Meta must be an object")
TOO_MANY = ("", "Meta may hold at most 50 keys")
KEY_LENGTH = "Meta keys must be 1 to 40 characters"
VALUE_TYPE = "Meta values must be strings, numbers, booleans or null"
STRING_LENGTH = "Meta string values must be at most 500 characters"
KEY_TEXT = "Meta keys must not contain control characters or lone surrogates"
VALUE_TEXT = (
    "Meta string values may hold tab and line breaks but no other control character or lone surrogate"
)


def test_meta_limits() -> None:
    assert (MAX_META_KEYS, MAX_META_KEY_LENGTH, MAX_META_STRING_LENGTH) == (50, 40, 500)


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"a": "b", "n": 1, "f": 1.5, "t": True, "z": None, "neg": -3, "big": 10**30},
        {"k" * 40: "v" * 500},
        {"a/b~c": ""},
        {f"key{i}": i for i in range(50)},
        {"note": "line one\n\tline two"},  # free text: tab and newline are allowed in values
    ],
)
def test_meta_problems_none(meta: object) -> None:
    assert meta_problems(meta) == []


@pytest.mark.parametrize(
    ("meta", "problems"),
    [
        (None, [NOT_OBJECT]),
        ([], [NOT_OBJECT]),
        ("{}", [NOT_OBJECT]),
        ([("a", 1)], [NOT_OBJECT]),
        ({1: "a"}, [NOT_OBJECT]),
        ({"a": 1, 2: "b"}, [NOT_OBJECT]),
        ({f"key{i}": i for i in range(51)}, [TOO_MANY]),
        ({"": 1}, [("/", KEY_LENGTH)]),
        ({"k" * 41: 1}, [("/" + "k" * 41, KEY_LENGTH)]),
        ({"a": [1]}, [("/a", VALUE_TYPE)]),
        ({"a": {"b": 1}}, [("/a", VALUE_TYPE)]),
        ({"a": float("nan")}, [("/a", VALUE_TYPE)]),
        ({"a": float("inf")}, [("/a", VALUE_TYPE)]),
        ({"a": -float("inf")}, [("/a", VALUE_TYPE)]),
        ({"a": b"bytes"}, [("/a", VALUE_TYPE)]),
        ({"a": date(2024, 1, 1)}, [("/a", VALUE_TYPE)]),
        ({"a": "v" * 501}, [("/a", STRING_LENGTH)]),
        ({"a/b": [1]}, [("/a~1b", VALUE_TYPE)]),
        ({"a~b": [1]}, [("/a~0b", VALUE_TYPE)]),
        ({"~1/": [1]}, [("/~01~1", VALUE_TYPE)]),
        (
            {"ok": 1, "k" * 41: ["x"], "long": "v" * 501, "bad": set()},
            [
                ("/" + "k" * 41, KEY_LENGTH),
                ("/" + "k" * 41, VALUE_TYPE),
                ("/long", STRING_LENGTH),
                ("/bad", VALUE_TYPE),
            ],
        ),
        (
            {**{f"key{i}": i for i in range(50)}, "x" * 41: None},
            [TOO_MANY, ("/" + "x" * 41, KEY_LENGTH)],
        ),
        ({"a\x00": 1}, [("/a\x00", KEY_TEXT)]),
        ({"\ud800": "x"}, [("/\ud800", KEY_TEXT)]),
        ({"a/\tb": 1}, [("/a~1\tb", KEY_TEXT)]),
        ({"a": "x\x00"}, [("/a", VALUE_TEXT)]),
        ({"a": "\udfff"}, [("/a", VALUE_TEXT)]),
        ({"a": "\x0b"}, [("/a", VALUE_TEXT)]),
        ({"\x85": "\x85" * 501}, [("/\x85", KEY_TEXT), ("/\x85", STRING_LENGTH), ("/\x85", VALUE_TEXT)]),
    ],
)
def test_meta_problems_found(meta: object, problems: list[tuple[str, str]]) -> None:
    assert meta_problems(meta) == problems


# Text a client may send: no control character (tab and newline only in values), no lone surrogate.
_key_characters = st.characters(exclude_categories=("Cc", "Cs"))
_value_characters = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t\n\r")
_primitives = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(_value_characters, max_size=MAX_META_STRING_LENGTH),
)
_valid_metas = st.dictionaries(
    st.text(_key_characters, min_size=1, max_size=MAX_META_KEY_LENGTH), _primitives, max_size=MAX_META_KEYS
)


@given(_valid_metas)
def test_meta_problems_none_for_generated_valid_metas(meta: dict[str, object]) -> None:
    assert meta_problems(meta) == []


@given(
    st.dictionaries(
        st.text(_key_characters, min_size=1, max_size=MAX_META_KEY_LENGTH),
        _primitives,
        max_size=MAX_META_KEYS - 1,
    ),
    st.text(_key_characters, min_size=MAX_META_KEY_LENGTH + 1, max_size=MAX_META_KEY_LENGTH + 1),
    _primitives,
)
def test_meta_problems_flags_a_41_character_key(meta: dict[str, object], key: str, item: object) -> None:
    meta = {**meta, key: item}
    pointer = "/" + key.replace("~", "~0").replace("/", "~1")
    assert meta_problems(meta) == [(pointer, KEY_LENGTH)]


def test_module_exports() -> None:
    assert set(rules.__all__) == {
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
    }


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Jose", "JOSÉ", True),
        ("  Emily ", "emily", True),
        ("Straße", "STRASSE", True),
        ("Jose\u0301", "JOS\u00c9", True),  # decomposed and composed forms
        ("Mary  Ann", "mary ann", True),
        ("Mary\tAnn ", " Mary Ann", True),
        ("MaryAnn", "Mary Ann", False),
        ("Jon", "John", False),
        ("Emily", "Emilia", False),
    ],
)
def test_same_name_ignores_form_case_accents_and_whitespace(a: str, b: str, same: bool) -> None:
    assert rules.same_name(a, b) is same


FULLWIDTH_JANE = "\uff2a\uff41\uff4e\uff45"  # "Jane" in fullwidth letters


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (FULLWIDTH_JANE, "Jane", True),  # fullwidth letters are their plain forms (NFKC)
        (
            "\uff2a\uff21\uff2e\uff25\u3000\uff33\uff4d\uff49\uff54\uff48",
            "jane smith",
            True,
        ),  # fullwidth, with an ideographic space
        ("ﬁnn", "Finn", True),  # a ligature is its letters
        (FULLWIDTH_JANE, "Jean", False),
        ("Ólafur", "OLAFUR", True),
        ("Nguyễn Thị", "NGUYEN THI", True),
        ("Дмитрий", "ДМИТРИЙ", True),
        ("ΨΥΧΉ", "ψυχη", True),
        ("श्रीनिवास", "श्रीनिवास", True),
        ("श्री", "शरी", False),  # a virama joins consonants: "shri" is not "shari"
        ("ကျော်", "ကျော", False),  # Myanmar's asat is a virama too
        ("山田太郎", "山田太朗", False),
    ],
)
def test_same_name_compares_on_the_documented_normal_form(a: str, b: str, same: bool) -> None:
    assert rules.same_name(a, b) is same
    assert rules.same_name(b, a) is same
