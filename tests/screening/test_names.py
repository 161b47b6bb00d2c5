"""Names made comparable (kycrail/screening/names.py): transliteration, what is dropped, weights, folds."""

from __future__ import annotations

import pytest

from kycrail.screening.entries import ListedName, NameKind, PartyType
from kycrail.screening.names import (
    GENERIC_WEIGHT,
    MIDDLE_WEIGHT,
    Role,
    Token,
    business_tokens,
    fold,
    listed_name_tokens,
    normalize,
    person_parts_tokens,
    person_tokens,
    skeleton,
)


def texts(tokens: tuple[Token, ...]) -> list[str]:
    return [t.text for t in tokens]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José  MARÍA  Núñez", "jose maria nunez"),
        ("Müller-Lüdenscheidt", "muller ludenscheidt"),
        ("O'Brien", "obrien"),
        ("Сергей Пригожин", "sergey prigozhin"),
        ("Straße", "strasse"),
        ("Łukasz Żółć", "lukasz zolc"),
    ],
)
def test_normalize_folds_case_accents_scripts_and_punctuation(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_word_order_and_case_do_not_change_the_tokens() -> None:
    assert sorted(texts(person_tokens("PRIGOZHIN Yevgeniy"))) == sorted(
        texts(person_tokens("yevgeniy prigozhin"))
    )


def test_honorifics_and_generational_suffixes_are_dropped() -> None:
    assert texts(person_tokens("Sheikh Dr. Ahmed Hassan Jr.")) == ["ahmed", "hassan"]
    assert texts(person_tokens("Mr")) == ["mr"]  # nothing else: kept rather than nothing


def test_particles_are_dropped_however_attached() -> None:
    assert texts(person_tokens("Osama bin Mohammed bin Awad bin Laden")) == [
        "osama",
        "mohammed",
        "awad",
        "laden",
    ]
    assert texts(person_tokens("Ahmad ash-Shami al-Tikriti")) == ["ahmad", "shami", "tikriti"]
    assert texts(person_tokens("Ludwig van Beethoven")) == ["ludwig", "beethoven"]
    assert texts(person_tokens("An Nguyen")) == ["an", "nguyen"]  # "An" alone is a name, not an article


@pytest.mark.parametrize(
    "spelling", ["Abd al-Rahman", "Abdul Rahman", "Abdulrahman", "Abdel Rahman", "Abdurrahman"]
)
def test_abd_compounds_become_one_token(spelling: str) -> None:
    assert texts(person_tokens(spelling)) == ["abdrahman"]


def test_abdullah_however_spelt() -> None:
    assert {texts(person_tokens(s))[0] for s in ("Abdullah", "Abdallah", "Abd Allah")} == {"abdlah"}


def test_arabic_script_is_flagged_and_its_article_dropped() -> None:
    tokens = person_tokens("محمد الشامي")
    assert texts(tokens) == ["mhmd", "shmy"]
    assert all(t.abjad for t in tokens)
    assert texts(person_tokens("عبد الرحمن")) == ["bdrhmn"]


def test_a_chinese_name_in_one_word_is_family_name_and_given_name() -> None:
    assert texts(person_tokens("张小明")) == ["zhang", "xiaoming"]
    assert texts(person_parts_tokens("小明", None, "张")) == ["xiaoming", "zhang"]
    assert texts(person_parts_tokens(None, None, "张小明")) == ["zhang", "xiaoming"]


def test_initials_weigh_half_and_middle_names_half() -> None:
    first, middle, last = person_parts_tokens("J.", "Robert", "Smith")
    assert (first.text, first.initial, first.weight) == ("j", True, 0.5)
    assert (middle.weight, last.weight) == (MIDDLE_WEIGHT, 1.0)
    assert [t.weight for t in person_parts_tokens("John", "R.", "Smith")] == [1.0, MIDDLE_WEIGHT * 0.5, 1.0]


def test_a_second_surname_weighs_as_a_middle_name() -> None:
    assert [t.weight for t in person_tokens("Maduro Moros", Role.last)] == [1.0, MIDDLE_WEIGHT]


def test_ofac_last_comma_given_order_gives_the_parts() -> None:
    tokens = listed_name_tokens(
        ListedName("AL-KUBAISI, Abd al-Karim Jawad", NameKind.primary), PartyType.individual
    )
    assert [(t.text, t.weight) for t in tokens] == [
        ("kubaisi", 1.0),
        ("abdkarim", 1.0),
        ("jawad", MIDDLE_WEIGHT),
    ]


def test_a_full_name_in_natural_order_has_middle_names_between_first_and_last() -> None:
    tokens = listed_name_tokens(ListedName("Abu Bakr al-Baghdadi", NameKind.aka), PartyType.individual)
    assert [(t.text, t.weight) for t in tokens] == [("abu", 1.0), ("bakr", MIDDLE_WEIGHT), ("baghdadi", 1.0)]
    two = listed_name_tokens(ListedName("Zhang Xiaoming", NameKind.aka), PartyType.individual)
    assert [t.weight for t in two] == [1.0, 1.0]


def test_the_lists_parts_are_used_when_given() -> None:
    name = ListedName(
        "Ivan Petrovich Sidorov", NameKind.primary, first="Ivan", middle="Petrovich", last="Sidorov"
    )
    assert [(t.text, t.weight) for t in listed_name_tokens(name, PartyType.individual)] == [
        ("ivan", 1.0),
        ("petrovich", MIDDLE_WEIGHT),
        ("sidorov", 1.0),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Romashka L.L.C.", ["romashka"]),
        ("ООО «Ромашка»", ["romashka"]),  # noqa: RUF001 (Cyrillic on purpose)
        ("Limited Liability Company Romashka", ["romashka"]),
        ("Public Joint Stock Company Rosneft Oil Company", ["rosneft", "oil"]),
        ("Sunrise Trading Co., Ltd.", ["sunrise", "trading"]),
        ("Bank of the East S.A.", ["bank", "east"]),
        ("Company", ["company"]),  # only a legal form: kept rather than nothing
    ],
)
def test_legal_forms_and_stop_words_are_dropped_from_business_names(name: str, expected: list[str]) -> None:
    assert texts(business_tokens(name)) == expected


def test_generic_business_words_weigh_less() -> None:
    assert [(t.text, t.weight) for t in business_tokens("Sunrise Shipping LLC")] == [
        ("sunrise", 1.0),
        ("shipping", GENERIC_WEIGHT),
    ]


def test_a_vessel_or_entity_name_is_read_as_a_business_name() -> None:
    tokens = listed_name_tokens(ListedName("ADRIAN DARYA 1", NameKind.primary), PartyType.vessel)
    assert texts(tokens) == ["adrian", "darya", "1"]


@pytest.mark.parametrize(
    "spellings",
    [
        ("yevgeniy", "evgenii", "evgeny", "jewgeni"),
        ("hussein", "husayn", "hussain"),
        ("sergey", "sergei"),
        ("aleksei", "alexei", "aleksey"),
        ("fyodor", "fjodor", "fedor"),
        ("skvortsov", "skworzow"),
        ("yaroslav", "jaroslaw"),
        ("adel", "adil"),
        ("osama", "usama"),
        ("fatimah", "fatima"),
    ],
)
def test_transliteration_variants_fold_together(spellings: tuple[str, ...]) -> None:
    assert len({fold(s) for s in spellings}) == 1


@pytest.mark.parametrize(("a", "b"), [("zhou", "zhu"), ("ding", "deng"), ("jun", "yun"), ("wang", "wan")])
def test_different_short_names_do_not_fold_together(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_a_latin_spelling_and_the_arabic_script_share_a_skeleton() -> None:
    assert skeleton("muhammad") == skeleton("mohammed") == skeleton("mhmd") == "mhmd"
    assert skeleton("hussein") == skeleton("hsyn")
    assert skeleton("fatimah") == skeleton("ftmh")
    assert skeleton("jamal") == skeleton("gamal")
