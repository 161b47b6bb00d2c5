"""Screening a customer's name against the lists (kycrail/screening/matching.py): what hits, what does
not, what the date of birth, country, party type and weak a.k.a.s do, how a hit explains itself, and the
quality measured on the labelled set (tests/screening/labelled/, made by tests/screening/quality.py)."""

from __future__ import annotations

from datetime import date

import pytest

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.matching import (
    BIRTH_DATE_DIFFERENT,
    BIRTH_DATE_SAME,
    BIRTH_YEAR_SAME,
    COUNTRY_NONE_SHARED,
    COUNTRY_SHARED,
    DEFAULT_THRESHOLD,
    PARTY_MISMATCH,
    WEAK_AKA_CONFIRMS,
    Factor,
    Hit,
    How,
    Index,
    Query,
    token_similarity,
)
from kycrail.screening.names import Token
from tests.screening import quality


def person(
    source_id: str, *names: ListedName, born: tuple[BirthDate, ...] = (), countries: tuple[str, ...] = ()
) -> ListEntry:
    return ListEntry(
        Source.ofac_sdn, source_id, PartyType.individual, names, birth_dates=born, nationalities=countries
    )


def primary(full: str) -> ListedName:
    return ListedName(full, NameKind.primary)


ENTRIES = (
    person(
        "prigozhin",
        primary("PRIGOZHIN, Yevgeniy Viktorovich"),
        born=(BirthDate(1961, 6, 1),),
        countries=("RU",),
    ),
    person(
        "tikriti",
        primary("AL-TIKRITI, Khalid Hamid"),
        ListedName("Abu Walid", NameKind.weak_aka),
        born=(BirthDate(1970),),
        countries=("IQ",),
    ),
    person(
        "zaidan",
        primary("ZAIDAN, Nabil Fawzi Mahmoud"),
        ListedName("Nabil al-Zaidani", NameKind.weak_aka),
    ),
    person("shami", primary("Mohammed Hassan al-Shami"), ListedName("محمد حسن الشامي", NameKind.aka)),
    person("smith", primary("SMITH, John Robert"), born=(BirthDate(1980, 2, 3),), countries=("GB",)),
    person("zhang", primary("ZHANG, Xiaoming")),
    person("ivanov", primary("IVANOV, Ivan Ivanovich"), born=(BirthDate(1975, 3, 2),)),
    ListEntry(
        Source.ofac_sdn,
        "rosneft",
        PartyType.entity,
        (primary("ROSNEFT OIL COMPANY"), ListedName("OAO ROSNEFT", NameKind.aka)),
        address_countries=("RU",),
    ),
    ListEntry(Source.ofac_sdn, "adrian", PartyType.vessel, (primary("ADRIAN DARYA 1"),)),
)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(ENTRIES)


def ids(hits: list[Hit]) -> list[str]:
    return [h.source_id for h in hits]


def only(hits: list[Hit], source_id: str) -> Hit:
    assert ids(hits) == [source_id], [h.explain() for h in hits]
    return hits[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Query.individual("Yevgeniy", "Prigozhin", "Viktorovich"), "prigozhin"),  # exact
        (Query.individual("Prigozhin", "Yevgeniy", "Viktorovich"), "prigozhin"),  # reordered
        (Query.individual("Евгений", "Пригожин", "Викторович"), "prigozhin"),  # Cyrillic
        (Query.individual("Evgenii", "Prigozhin"), "prigozhin"),  # ICAO, as a Russian passport has it
        (Query.individual("Jewgeni", "Prigoschin"), "prigozhin"),  # German
        (Query.individual("Yevgeniy", "Prigozhim", "Viktorovich"), "prigozhin"),  # one-letter typo
        (Query.individual("Yevgeniy", "Prigzohin"), "prigozhin"),  # two letters swapped
        (Query.individual("Y.", "Prigozhin", "V."), "prigozhin"),  # initials
        (Query.individual("Khalid", "al-Tikriti"), "tikriti"),  # middle name left out
        (Query.individual("Khaled", "Tikriti", "Hamed"), "tikriti"),  # other Latin spellings
        (Query.individual("خالد", "التكريتي", "حامد"), "tikriti"),  # Arabic script against Latin
        (Query.individual("Muhammad", "Shami", "Hasan"), "shami"),
        (Query.individual("Mohammed", "al-Shami"), "shami"),  # a natural-order name's middle left out
        (Query.individual("", "", "张小明"), "zhang"),  # characters against pinyin
        (Query.individual("Xiaoming", "Zhang"), "zhang"),
    ],
)
def test_variants_of_a_listed_name_hit(index: Index, query: Query, expected: str) -> None:
    hit = only(index.screen(query), expected)
    assert DEFAULT_THRESHOLD <= hit.score <= 1.0


def test_an_exact_name_scores_one(index: Index) -> None:
    hit = only(index.screen(Query.individual("John", "Smith", "Robert")), "smith")
    assert hit.name_score == 1.0
    assert all(t.how is How.same for t in hit.tokens)


@pytest.mark.parametrize(
    "query",
    [
        Query.individual("John", "Brown"),  # one common token with SMITH, John Robert
        Query.individual("", "Smith"),  # a surname alone
        Query.individual("Mohammed", "Ahmed"),  # one token with Mohammed Hassan al-Shami
        Query.individual("Ivan", "Petrov"),
        Query.individual("Wei", "Zhang"),
        Query.individual("Xiaoming", "Zheng"),  # Zhang / Zheng: another family name, not a typo
        Query.business("Rosneft Trading Partners International Holdings"),  # one token of five
    ],
)
def test_one_shared_token_is_no_hit(index: Index, query: Query) -> None:
    assert index.screen(query) == []


def test_a_weak_aka_alone_never_hits(index: Index) -> None:
    assert index.screen(Query.individual("Abu", "Walid")) == []
    assert index.screen(Query.individual("Abu", "Walid"), threshold=0.1) == []


def test_a_weak_aka_confirms_a_strong_names_match(index: Index) -> None:
    query = Query.individual("Nabil", "Zaidani")
    alone = index.screen(query, threshold=0.5)
    hit = only(index.screen(query, threshold=0.8), "zaidan")
    assert hit.name.kind is NameKind.primary  # the hit is the strong name's
    weak = [a for a in hit.adjustments if a.factor is Factor.weak_aka]
    assert [a.delta for a in weak] == [WEAK_AKA_CONFIRMS]
    assert "Nabil al-Zaidani" in weak[0].reason
    assert hit.score == pytest.approx(hit.name_score + WEAK_AKA_CONFIRMS, abs=1e-4)
    assert alone[0].name_score < 0.8  # the strong name alone would not have made it


def test_a_different_full_date_of_birth_lowers_below_the_threshold(index: Index) -> None:
    exact_name = Query.individual("John", "Smith", "Robert", birth_date=date(1990, 7, 8))
    assert index.screen(exact_name) == []
    hit = only(index.screen(exact_name, threshold=0.5), "smith")
    assert hit.score == pytest.approx(1.0 + BIRTH_DATE_DIFFERENT)
    assert [(a.factor, a.delta) for a in hit.adjustments] == [(Factor.birth_date, BIRTH_DATE_DIFFERENT)]
    assert "1980-02-03" in hit.adjustments[0].reason
    assert "1990-07-08" in hit.adjustments[0].reason


def test_the_same_date_of_birth_and_country_raise(index: Index) -> None:
    query = Query.individual("Khalid", "al-Tikriti", birth_date=date(1970, 5, 5), countries=["IQ"])
    hit = only(index.screen(query), "tikriti")
    assert [(a.factor, a.delta) for a in hit.adjustments] == [
        (Factor.birth_date, BIRTH_YEAR_SAME),
        (Factor.country, COUNTRY_SHARED),
    ]
    assert hit.score == pytest.approx(hit.name_score + BIRTH_YEAR_SAME + COUNTRY_SHARED, abs=1e-4)
    same_day = only(
        index.screen(Query.individual("Ivan", "Ivanov", "Ivanovich", birth_date=date(1975, 3, 2))), "ivanov"
    )
    assert same_day.adjustments[0].delta == BIRTH_DATE_SAME


def test_a_birth_year_far_off_lowers_and_one_year_off_changes_nothing(index: Index) -> None:
    far = only(
        index.screen(Query.individual("Khalid", "al-Tikriti", "Hamid", birth_date=date(1990, 1, 1))),
        "tikriti",
    )
    near = only(
        index.screen(Query.individual("Khalid", "al-Tikriti", "Hamid", birth_date=date(1971, 1, 1))),
        "tikriti",
    )
    assert far.adjustments[0].delta < 0
    assert near.adjustments[0].delta == 0
    assert near.score == near.name_score


def test_no_country_in_common_lowers_a_little(index: Index) -> None:
    hit = only(index.screen(Query.individual("John", "Smith", "Robert", countries=["de"])), "smith")
    assert [(a.factor, a.delta) for a in hit.adjustments] == [(Factor.country, COUNTRY_NONE_SHARED)]
    assert "GB" in hit.adjustments[0].reason
    assert "DE" in hit.adjustments[0].reason


def test_a_person_is_never_screened_against_vessels(index: Index) -> None:
    assert index.screen(Query.individual("Adrian", "Darya"), threshold=0.1) == []
    assert ids(index.screen(Query.business("Adrian Darya 1"))) == ["adrian"]


def test_a_business_against_a_person_is_lowered(index: Index) -> None:
    hit = only(index.screen(Query.business("John Robert Smith")), "smith")
    assert [(a.factor, a.delta) for a in hit.adjustments] == [(Factor.party_type, PARTY_MISMATCH)]
    assert hit.score == pytest.approx(1.0 + PARTY_MISMATCH)


def test_a_company_hits_whatever_its_legal_form_and_script(index: Index) -> None:
    for name in ("Rosneft Oil Company PJSC", "ПАО «Роснефть»", "rosneft llc"):
        assert ids(index.screen(Query.business(name))) == ["rosneft"], name


def test_a_hit_explains_itself(index: Index) -> None:
    query = Query.individual("Evgeny", "Prigozhin", birth_date=date(1961, 6, 1), countries=["RU"])
    hit = only(index.screen(query), "prigozhin")
    assert (hit.source, hit.source_id, hit.party_type) == (Source.ofac_sdn, "prigozhin", PartyType.individual)
    assert hit.name == primary("PRIGOZHIN, Yevgeniy Viktorovich")
    assert [(t.query_token, t.name_token, t.how) for t in hit.tokens] == [
        ("evgeny", "yevgeniy", How.transliteration),
        ("prigozhin", "prigozhin", How.same),
        (None, "viktorovich", How.unmatched),  # the middle name the customer did not give
    ]
    assert hit.tokens[0].similarity == pytest.approx(0.97)
    assert [a.factor for a in hit.adjustments] == [Factor.birth_date, Factor.country]
    text = hit.explain()
    for part in (
        "ofac_sdn:prigozhin",
        "PRIGOZHIN, Yevgeniy Viktorovich",
        "evgeny ~ yevgeniy",
        "same date of birth",
    ):
        assert part in text


def test_results_are_deterministic_and_best_first() -> None:
    entries = [
        person(f"p{i}", primary(f"SMITH, John {middle}"))
        for i, middle in enumerate(("Robert", "Roberts", "Rob"))
    ]
    first = Index.build(entries).screen(Query.individual("John", "Smith", "Robert"), threshold=0.5)
    again = Index.build(reversed(entries)).screen(Query.individual("John", "Smith", "Robert"), threshold=0.5)
    assert [h.score for h in first] == sorted((h.score for h in first), reverse=True)
    assert ids(first)[0] == "p0"
    assert sorted(ids(first)) == sorted(ids(again))
    assert first == Index.build(entries).screen(Query.individual("John", "Smith", "Robert"), threshold=0.5)


def test_the_threshold_is_the_callers(index: Index) -> None:
    query = Query.individual("Khalid", "al-Tikriti")
    score = only(index.screen(query), "tikriti").score
    assert index.screen(query, threshold=score + 0.01) == []


@pytest.mark.parametrize(
    ("a", "b", "how"),
    [
        ("sergey", "sergei", How.transliteration),
        ("j", "john", How.initial),
        ("barakat", "bqrakat", How.typo),
        ("mohammed", "muhammad", How.transliteration),
        ("mhmd", "muhammad", How.consonants),
    ],
)
def test_token_similarity_says_why(a: str, b: str, how: How) -> None:
    similarity, found = token_similarity(Token(a, abjad=how is How.consonants), Token(b))
    assert found is how
    assert 0.9 <= similarity < 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [("wang", "wan"), ("chen", "shen"), ("sami", "samir"), ("zhang", "zheng"), ("marine", "marlin")],
)
def test_near_names_that_are_other_names_do_not_match(a: str, b: str) -> None:
    assert token_similarity(Token(a), Token(b))[0] < 0.9


def test_candidates_come_from_the_index_not_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [person(str(i), primary(f"SURNAME{chr(65 + i % 26)}{i}, Given{i}")) for i in range(2000)]
    entries.append(person("x", primary("SMITH, John")))
    index = Index.build(entries)
    scored: list[str] = []
    original = Index._score

    def counting(self: Index, tokens, similar, name):  # type: ignore[no-untyped-def]
        scored.append(name.listed.full)
        return original(self, tokens, similar, name)

    monkeypatch.setattr(Index, "_score", counting)
    assert ids(index.screen(Query.individual("John", "Smith"))) == ["x"]
    assert scored == ["SMITH, John"]
    scored.clear()
    assert index.screen(Query.individual("Nobody", "Known")) == []
    assert scored == []


# ---------------------------------------------------------------------------------------------------
# Quality on the labelled set: the target at the default threshold.


@pytest.fixture(scope="module")
def labelled() -> tuple[Index, list[quality.LabelledQuery]]:
    entries, queries = quality.load()
    return Index.build(entries), queries


def test_the_labelled_set_is_as_big_as_asked(labelled: tuple[Index, list[quality.LabelledQuery]]) -> None:
    _, queries = labelled
    matches = [q for q in queries if q.label == "match"]
    kinds = {q.kind for q in matches}
    assert len(matches) >= 300
    assert {"reordered", "missing_middle", "typo", "initials", "transliteration", "business"} <= kinds
    assert len([q for q in queries if q.label == "none"]) >= 3000
    assert len([q for q in queries if q.kind == "one_token"]) >= 1000


def test_recall_and_false_hits_at_the_default_threshold(
    labelled: tuple[Index, list[quality.LabelledQuery]],
) -> None:
    index, queries = labelled
    measured = quality.evaluate(index, queries, DEFAULT_THRESHOLD)
    missed = [f"{q.id}: {q.query}" for q in measured.missed]
    wrong = [f"{q.id}: {hit.explain()}" for q, hit in measured.wrong]
    assert measured.recall >= 0.99, missed
    assert measured.false_hit_rate <= 0.01, wrong


def test_the_generator_is_deterministic() -> None:
    assert quality.generate(seed=7, size=60) == quality.generate(seed=7, size=60)
