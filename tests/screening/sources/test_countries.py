"""Country names as the lists write them, to ISO 3166-1 alpha-2."""

from __future__ import annotations

import pytest

from kycrail.screening.sources.countries import country_code, country_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran", "IR"),
        ("Russia", "RU"),
        ("Korea, North", "KP"),
        ("Burma", "MM"),
        ("Syria", "SY"),
        ("Venezuela", "VE"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Democratic Republic of the Congo", "CD"),  # the UN's
        ("Iran (Islamic Republic of)", "IR"),  # the UN's
        ("Cote d'Ivoire", "CI"),  # pycountry's has its accent
        ("Curacao", "CW"),
        ("RUSSIAN FEDERATION", "RU"),  # the EU's descriptions
        ("IQ", "IQ"),  # already a code
        ("Kosovo", "XK"),
        ("  united   kingdom ", "GB"),
    ],
)
def test_a_country_maps_to_its_code(text: str, code: str) -> None:
    assert country_code(text) == code


def test_an_unmappable_country_keeps_its_text_upper_cased() -> None:
    assert country_code("Netherlands  Antilles") == "NETHERLANDS ANTILLES"
    assert country_code("Palestinian") == "PALESTINIAN"


@pytest.mark.parametrize("text", ["undetermined", "", "  ", "00", "-0-"])
def test_no_country_gives_none(text: str) -> None:
    assert country_code(text) is None


def test_several_countries_once_each_in_order() -> None:
    assert country_codes(["Iran", "undetermined", "Russia", "Iran (Islamic Republic of)"]) == ("IR", "RU")
