"""A customer's name screened against the lists' names: candidates found through an index of name
tokens, scored, and every hit explained. Pure, no I/O.

Scores are on 0..1 (1: the same name, same date of birth and country). A hit is an entry whose score
reaches the threshold (``DEFAULT_THRESHOLD`` unless the caller says otherwise).

How a name is scored (``name_score``):

1. Both names become weighted tokens (``names``): word order is ignored from here on.
2. Each query token is compared with each name token (``token_similarity``), 0..1:
   - the same token: 1; the same once transliteration differences are folded away (``names.fold``:
     Sergey / Sergei, Yevgeniy / Jewgeni, Adel / Adil): 0.97;
   - an Arabic-script token against a Latin one: by consonant skeleton (``names.skeleton``: محمد "mhmd"
     / Muhammad), at most 0.95;
   - an initial against a token with that first letter: 0.9;
   - otherwise Jaro-Winkler (rapidfuzz) between the spellings or between their folds (from the same
     first letter), whichever is higher, raised to 0.9 for a typo (one letter apart, not the first, in
     words of six letters or more; in five-letter words not a vowel for a vowel: Zhang / Zheng are two
     names);
   - tokens of four letters or fewer match only the same or a fold (Wang / Wan, Chen / Shen, Sami / Rami
     are other names, however high their Jaro-Winkler), or a letter dropped inside a five-letter word;
   - a generic business word (Trading, Marine) matches only itself, its typos, or another generic word.
   Below ``TOKEN_FLOOR`` (0.9) two tokens are different words: Jaro-Winkler gives 0.8-0.9 to many pairs
   of different names that share a prefix.
3. Query tokens are paired with name tokens one to one, best similarity first (greedy).
4. The score is the weighted share of both names covered: sum over pairs of similarity x (query token's
   weight + name token's weight), over the total weight of both names. A name that covers only part of
   the other scores low whichever side is longer: "Smith" against "John Smith" is 0.67, "John Brown"
   against "John Smith" 0.5, a missing middle name (weight 0.5) costs 0.1 of a three-part name.

Then the entry's best strong name gets the adjustments, each with its reason: date of birth (the same
full date raises, a different full date lowers a lot, the same year raises a little, a year far off
lowers), country (one in common raises a little, none in common lowers a little), party type (a person
against an entity, or the reverse, lowers; a person is never screened against vessels and aircraft).

Weak a.k.a.s (OFAC FAQ 122-124) never make a hit: an entry hits through its strong names only. A weak
a.k.a. that matches the query as well as the threshold asks confirms a strong name's match, and raises
its score by ``WEAK_AKA_CONFIRMS``: enough to tip a near miss, never enough to make a hit from nothing
(a strong name must score ``threshold - WEAK_AKA_CONFIRMS - other raises`` on its own).

Candidates come from an index built once per list version: each name token's spelling and its
transliteration fold, with their one-letter deletions (a typo of one letter, inserted, dropped, changed
or two swapped, meets its original on one of them), and its consonant skeleton (Arabic script). A query
token's similar list tokens are looked up there, never by scanning names (and kept in a bounded cache:
customers share first names). A name is scored only if the query tokens that found it could reach the
threshold: an upper bound from the weights, so that "John" alone never scores the thousands of Johns.

Results are deterministic: the same list and query give the same hits, in the same order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

from rapidfuzz.distance import OSA, JaroWinkler

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.names import (
    GENERIC_BUSINESS_WORDS,
    Token,
    business_tokens,
    fold,
    listed_name_tokens,
    person_parts_tokens,
    skeleton,
)

DEFAULT_THRESHOLD: Final = 0.85

TOKEN_FLOOR: Final = 0.9  # token similarity below this: different words
INITIAL_SIMILARITY: Final = 0.9  # "j" against "john"
FOLDED_SIMILARITY: Final = 0.97  # the same once transliteration differences are folded away
ABJAD_SIMILARITY: Final = 0.95  # the same consonants as an Arabic-script spelling (vowels unknown)
TYPO_SIMILARITY: Final = 0.9  # one letter apart (at least), in words of TYPO_MIN_LENGTH letters or more
TYPO_MIN_LENGTH: Final = 6
SHORT_LENGTH: Final = 4  # tokens this short match only the same or a transliteration (Li, Wang, Sami)
_VOWELS: Final = frozenset("aeiouy")

BIRTH_DATE_SAME: Final = 0.05
BIRTH_YEAR_SAME: Final = 0.03
BIRTH_DATE_DIFFERENT: Final = -0.25
BIRTH_YEAR_DIFFERENT: Final = -0.10  # more than a year outside what the list gives
COUNTRY_SHARED: Final = 0.03
COUNTRY_NONE_SHARED: Final = -0.05
PARTY_MISMATCH: Final = -0.15
WEAK_AKA_CONFIRMS: Final = 0.05

_CACHE_SIZE: Final = 50_000  # query tokens whose similar list tokens are kept


class QueryKind(StrEnum):
    individual = "individual"
    business = "business"


@dataclass(frozen=True, slots=True)
class Query:
    """Who is screened: a person by name parts, or a business by legal name; with a date of birth and
    countries (ISO 3166-1 alpha-2: nationality, residence, incorporation) when known."""

    kind: QueryKind
    first: str = ""
    middle: str = ""
    last: str = ""
    legal_name: str = ""
    birth_date: date | None = None
    countries: frozenset[str] = frozenset()

    @classmethod
    def individual(
        cls,
        first: str,
        last: str,
        middle: str = "",
        *,
        birth_date: date | None = None,
        countries: Iterable[str] = (),
    ) -> Query:
        return cls(
            QueryKind.individual,
            first=first,
            middle=middle,
            last=last,
            birth_date=birth_date,
            countries=frozenset(c.upper() for c in countries),
        )

    @classmethod
    def business(cls, legal_name: str, *, countries: Iterable[str] = ()) -> Query:
        return cls(
            QueryKind.business, legal_name=legal_name, countries=frozenset(c.upper() for c in countries)
        )

    def tokens(self) -> tuple[Token, ...]:
        if self.kind is QueryKind.business:
            return business_tokens(self.legal_name)
        return person_parts_tokens(self.first, self.middle, self.last)


class How(StrEnum):
    """Why two tokens were found alike."""

    same = "same"
    spelling = "spelling"  # Jaro-Winkler between the spellings
    transliteration = "transliteration"  # Jaro-Winkler between the transliteration folds
    consonants = "consonants"  # an Arabic-script spelling against a Latin one: the same consonants
    typo = "typo"  # one letter apart
    initial = "initial"
    unmatched = "unmatched"


@dataclass(frozen=True, slots=True)
class TokenComparison:
    """One query token against the name token it was paired with (``None``: no counterpart)."""

    query_token: str | None
    name_token: str | None
    similarity: float
    how: How


class Factor(StrEnum):
    birth_date = "birth_date"
    country = "country"
    party_type = "party_type"
    weak_aka = "weak_aka"


@dataclass(frozen=True, slots=True)
class Adjustment:
    factor: Factor
    delta: float
    reason: str


@dataclass(frozen=True, slots=True)
class Hit:
    """An entry the query matched: through which of its names, how well token by token, and what the
    date of birth, countries and party type did to the score (``score = name_score + adjustments``,
    kept within 0..1)."""

    source: Source
    source_id: str
    party_type: PartyType
    name: ListedName
    score: float
    name_score: float
    tokens: tuple[TokenComparison, ...]
    adjustments: tuple[Adjustment, ...] = ()

    def explain(self) -> str:
        lines = [
            f"{self.source}:{self.source_id} ({self.party_type}) score {self.score:.2f}: "
            f"{self.name.kind} name {self.name.full!r} scored {self.name_score:.2f}"
        ]
        for t in self.tokens:
            lines.append(f"  {t.query_token or '-'} ~ {t.name_token or '-'}: {t.similarity:.2f} ({t.how})")
        lines.extend(f"  {a.delta:+.2f} {a.factor}: {a.reason}" for a in self.adjustments)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Name:
    entry: int
    listed: ListedName
    vocab: tuple[int, ...]
    tokens: tuple[Token, ...]
    total: float  # the tokens' weight
    prefix: tuple[float, ...]  # prefix[k]: the k heaviest tokens' weight
    initials: int
    weak: bool


@dataclass(slots=True)
class _Scored:
    name: _Name
    score: float
    pairs: list[tuple[int, int, float, How]] = field(default_factory=list)  # query i, name j


def _prefix(weights: Iterable[float]) -> tuple[float, ...]:
    out = [0.0]
    for weight in sorted(weights, reverse=True):
        out.append(out[-1] + weight)
    return tuple(out)


def _deletions(key: str) -> list[str]:
    """The key and, if long enough for a typo to leave it recognisable, its one-letter deletions."""
    if len(key) < 4:
        return [key]
    return [key, *{key[:i] + key[i + 1 :] for i in range(len(key))}]


def token_similarity(a: Token, b: Token) -> tuple[float, How]:
    """How alike two tokens are (0..1) and why: see the module's docstring."""
    if a.text == b.text and a.abjad == b.abjad:
        return 1.0, How.same
    if a.initial or b.initial:
        if a.initial and b.initial:
            return 0.0, How.unmatched
        return (INITIAL_SIMILARITY, How.initial) if a.text[0] == b.text[0] else (0.0, How.unmatched)
    return _compare(
        a.text, a.abjad, fold(a.text), skeleton(a.text), b.text, b.abjad, fold(b.text), skeleton(b.text)
    )


def _compare(
    a: str, a_abjad: bool, a_fold: str, a_skel: str, b: str, b_abjad: bool, b_fold: str, b_skel: str
) -> tuple[float, How]:
    if a == b and a_abjad == b_abjad:
        return 1.0, How.same
    if a_abjad != b_abjad:
        if not a_skel or not b_skel:
            return 0.0, How.unmatched
        return JaroWinkler.similarity(a_skel, b_skel) * ABJAD_SIMILARITY, How.consonants
    spelling = JaroWinkler.similarity(a, b)
    if a_abjad:
        return spelling, How.spelling
    if a_fold == b_fold:
        return max(spelling, FOLDED_SIMILARITY), How.transliteration
    if (a in GENERIC_BUSINESS_WORDS) != (b in GENERIC_BUSINESS_WORDS) and not _one_typo(a, b):
        return 0.0, How.unmatched  # "Marine" is no misspelt "Marlin" (but "Indutries" is "Industries")
    if min(len(a), len(b)) <= SHORT_LENGTH and not _short_typo(a, b):
        return 0.0, How.unmatched  # Wang / Wan, Chen / Shen, Sami / Rami: other names, not typos
    # Folds are compared only from the same first letter: Obeidi / Zubaidi fold one letter apart.
    folded = (
        min(JaroWinkler.similarity(a_fold, b_fold), FOLDED_SIMILARITY) if a_fold[:1] == b_fold[:1] else 0.0
    )
    best, how = (spelling, How.spelling) if spelling >= folded else (folded, How.transliteration)
    if best < TYPO_SIMILARITY and (_typo(a, b) or _typo(a_fold, b_fold)):
        return TYPO_SIMILARITY, How.typo
    return best, how


def _one_typo(a: str, b: str) -> bool:
    """One letter inserted, dropped or changed, or two swapped, after the first (a first letter is
    rarely mistyped, and names that differ there are other names: Amir / Samir, Kamal / Jamal)."""
    return a[:1] == b[:1] and OSA.distance(a, b, score_cutoff=1) <= 1


def _typo(a: str, b: str) -> bool:
    """A typo rather than another name: one letter apart in words of six letters or more; in five-letter
    words, not a vowel for another (Zhang / Zheng, Jamal / Jamil, Hamid / Hamad are other names)."""
    if not _one_typo(a, b):
        return False
    if min(len(a), len(b)) >= TYPO_MIN_LENGTH:
        return True
    if len(a) != len(b):
        return max(len(a), len(b)) >= TYPO_MIN_LENGTH - 1
    if len(a) < TYPO_MIN_LENGTH - 1:
        return False
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(changed) != 1 or not (changed[0][0] in _VOWELS and changed[0][1] in _VOWELS)


def _short_typo(a: str, b: str) -> bool:
    """A four-letter word against a five-letter one with a letter dropped inside it (Pablo / Pblo), not
    at its end: Sami / Samir, Chen / Cheng, Wan / Wang are other names."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return (
        len(longer) == SHORT_LENGTH + 1
        and len(shorter) == SHORT_LENGTH
        and longer[:-1] != shorter
        and _one_typo(a, b)
    )


def _birth_date_adjustment(listed: Sequence[BirthDate], born: date | None) -> Adjustment | None:
    """The best case over the listed dates: any of them may be the right one."""
    if born is None or not listed:
        return None
    return max((_one_birth_date(bd, born) for bd in listed), key=lambda a: a.delta)


def _one_birth_date(bd: BirthDate, born: date) -> Adjustment:
    shown = _show_birth_date(bd)
    if bd.exact:
        if (bd.year, bd.month, bd.day) == (born.year, born.month, born.day):
            return Adjustment(Factor.birth_date, BIRTH_DATE_SAME, f"same date of birth {born.isoformat()}")
        return Adjustment(
            Factor.birth_date, BIRTH_DATE_DIFFERENT, f"listed born {shown}, customer born {born.isoformat()}"
        )
    first, last = bd.year, bd.year_to or bd.year
    if first <= born.year <= last:
        return Adjustment(
            Factor.birth_date, BIRTH_YEAR_SAME, f"listed born {shown}, customer born {born.year}"
        )
    if first - 1 <= born.year <= last + 1:  # "circa": a year either side changes nothing
        return Adjustment(Factor.birth_date, 0.0, f"listed born {shown}, customer born {born.year}: near")
    return Adjustment(
        Factor.birth_date, BIRTH_YEAR_DIFFERENT, f"listed born {shown}, customer born {born.year}"
    )


def _show_birth_date(bd: BirthDate) -> str:
    if bd.exact:
        return f"{bd.year:04d}-{bd.month:02d}-{bd.day:02d}"
    if bd.year_to is not None:
        return f"{bd.year}-{bd.year_to}"
    return f"{bd.year:04d}-{bd.month:02d}" if bd.month is not None else str(bd.year)


def _country_adjustment(listed: frozenset[str], countries: frozenset[str]) -> Adjustment | None:
    if not listed or not countries:
        return None
    shared = listed & countries
    if shared:
        return Adjustment(Factor.country, COUNTRY_SHARED, f"country in common: {', '.join(sorted(shared))}")
    return Adjustment(
        Factor.country,
        COUNTRY_NONE_SHARED,
        f"no country in common (listed {', '.join(sorted(listed))}; customer {', '.join(sorted(countries))})",
    )


def _party_adjustment(kind: QueryKind, party: PartyType) -> Adjustment | None:
    if kind is QueryKind.individual and party is not PartyType.individual:
        return Adjustment(Factor.party_type, PARTY_MISMATCH, f"listed as {party}, customer is an individual")
    if kind is QueryKind.business and party is PartyType.individual:
        return Adjustment(
            Factor.party_type, PARTY_MISMATCH, "listed as an individual, customer is a business"
        )
    return None


_SCREENED_FOR_INDIVIDUALS: Final = frozenset({PartyType.individual, PartyType.entity})


class Index:
    """The names of a list (or several), ready to screen against. Build once per list version
    (``Index.build``); screening does not change it (but for a cache of query tokens' similar tokens)."""

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self._entries = tuple(entries)
        self._entry_countries = tuple(
            frozenset((*e.nationalities, *e.citizenships, *e.address_countries)) for e in self._entries
        )
        self._names: list[_Name] = []
        self._vocab_ids: dict[tuple[str, bool], int] = {}
        self._vocab: list[tuple[str, bool, str, str]] = []  # text, abjad, fold, skeleton
        self._postings: list[list[int]] = []
        self._keys: dict[str, list[int]] = {}  # fold and its deletions -> vocabulary ids
        self._skeletons: dict[str, list[int]] = {}
        self._cache: dict[tuple[str, bool], dict[int, tuple[float, How]]] = {}
        for number, entry in enumerate(self._entries):
            self._add_entry(number, entry)
        self._with_initials = frozenset(i for i, name in enumerate(self._names) if name.initials)

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> Index:
        return cls(tuple(entries))

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> tuple[ListEntry, ...]:
        return self._entries

    @property
    def name_count(self) -> int:
        return len(self._names)

    @property
    def token_count(self) -> int:
        """Distinct name tokens (the vocabulary)."""
        return len(self._vocab)

    def _add_entry(self, number: int, entry: ListEntry) -> None:
        seen: set[tuple[tuple[tuple[str, bool], ...], bool]] = set()
        for listed in entry.names:
            tokens = listed_name_tokens(listed, entry.party_type)
            weak = listed.kind is NameKind.weak_aka
            shape = tuple(sorted((t.text, t.abjad) for t in tokens))
            if not tokens or (shape, weak) in seen:  # the same name twice (lists repeat themselves)
                continue
            seen.add((shape, weak))
            self._add_name(number, listed, tokens, weak)

    def _add_name(self, number: int, listed: ListedName, tokens: tuple[Token, ...], weak: bool) -> None:
        name_id = len(self._names)
        vocab = tuple(self._vocab_id(t) for t in tokens)
        for vid in set(vocab):
            self._postings[vid].append(name_id)
        weights = [t.weight for t in tokens]
        self._names.append(
            _Name(
                entry=number,
                listed=listed,
                vocab=vocab,
                tokens=tokens,
                total=sum(weights),
                prefix=_prefix(weights),
                initials=sum(t.initial for t in tokens),
                weak=weak,
            )
        )

    def _vocab_id(self, token: Token) -> int:
        key = (token.text, token.abjad)
        vid = self._vocab_ids.get(key)
        if vid is not None:
            return vid
        vid = len(self._vocab)
        self._vocab_ids[key] = vid
        folded, skel = fold(token.text), skeleton(token.text)
        self._vocab.append((token.text, token.abjad, folded, skel))
        self._postings.append([])
        if not token.initial:  # initials are matched while scoring, never looked up
            for k in {*_deletions(token.text), *_deletions(folded)}:
                self._keys.setdefault(k, []).append(vid)
            if skel:
                self._skeletons.setdefault(skel, []).append(vid)
        return vid

    def _similar(self, token: Token) -> dict[int, tuple[float, How]]:
        """The list tokens alike a query token, with their similarity: looked up, never scanned."""
        if token.initial:
            return {}
        key = (token.text, token.abjad)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        folded, skel = fold(token.text), skeleton(token.text)
        found: set[int] = set()
        for k in {*_deletions(token.text), *_deletions(folded)}:
            found.update(self._keys.get(k, ()))
        if skel:
            found.update(self._skeletons.get(skel, ()))
        similar: dict[int, tuple[float, How]] = {}
        for vid in sorted(found):
            text, abjad, v_fold, v_skel = self._vocab[vid]
            sim, how = _compare(token.text, token.abjad, folded, skel, text, abjad, v_fold, v_skel)
            if sim >= TOKEN_FLOOR:
                similar[vid] = (sim, how)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = similar
        return similar

    def screen(self, query: Query, threshold: float = DEFAULT_THRESHOLD) -> list[Hit]:
        """The entries ``query`` matches at ``threshold`` or above, best first (then by source and id)."""
        tokens = query.tokens()
        if not tokens:
            return []
        similar = [self._similar(t) for t in tokens]
        reach = threshold - self._most_raised(query)
        best: dict[int, _Scored] = {}
        confirming: dict[int, _Scored] = {}
        for name in self._candidates(query, tokens, similar, reach):
            scored = self._score(tokens, similar, name)
            if name.weak:
                if scored.score >= threshold:
                    _keep_best(confirming, name.entry, scored)
            elif scored.score >= reach:
                _keep_best(best, name.entry, scored)
        hits = [
            hit
            for number, scored in best.items()
            if (hit := self._hit(query, tokens, scored, confirming.get(number))).score >= threshold
        ]
        hits.sort(key=lambda h: (-h.score, h.source, h.source_id))
        return hits

    @staticmethod
    def _most_raised(query: Query) -> float:
        """The most the adjustments can add: a name scoring less than threshold minus this is no hit."""
        return (
            (BIRTH_DATE_SAME if query.birth_date else 0.0)
            + (COUNTRY_SHARED if query.countries else 0.0)
            + WEAK_AKA_CONFIRMS
        )

    def _candidates(
        self,
        query: Query,
        tokens: Sequence[Token],
        similar: Sequence[dict[int, tuple[float, How]]],
        reach: float,
    ) -> list[_Name]:
        """Names found by the query's tokens whose weights could reach ``reach``, in index order."""
        q_prefix = _prefix(t.weight for t in tokens)
        q_total = q_prefix[-1]
        q_initials = sum(t.initial for t in tokens)
        # However heavy a name, pairing p tokens (each weighing at most 1) scores at most
        # (q_prefix[p] + p) / (q_total + p): the fewest pairs a hit needs, before looking at any name.
        need = next(
            (p for p in range(1, len(tokens) + 1) if (q_prefix[p] + p) / (q_total + p) >= reach), None
        )
        if need is None:
            return []
        counts: Counter[int] = Counter()
        for alike in similar:
            if alike:
                found: set[int] = set()
                for vid in alike:
                    found.update(self._postings[vid])
                counts.update(found)
        enough = need - q_initials
        with_initials = self._with_initials
        individual = query.kind is QueryKind.individual
        out: list[_Name] = []
        for name_id in sorted(n for n, c in counts.items() if c >= enough or n in with_initials):
            name = self._names[name_id]
            if individual and self._entries[name.entry].party_type not in _SCREENED_FOR_INDIVIDUALS:
                continue
            pairs = counts[name_id] + q_initials + name.initials  # at most this many tokens can pair
            q_side = q_prefix[min(pairs, len(q_prefix) - 1)]
            n_side = name.prefix[min(pairs, len(name.prefix) - 1)]
            if (q_side + n_side) / (q_total + name.total) >= reach:
                out.append(name)
        return out

    def _score(
        self, tokens: Sequence[Token], similar: Sequence[dict[int, tuple[float, How]]], name: _Name
    ) -> _Scored:
        """Query tokens paired one to one with the name's, most alike first; the weighted coverage."""
        candidates: list[tuple[float, float, int, int, How]] = []
        for i, q in enumerate(tokens):
            alike = similar[i]
            for j, vid in enumerate(name.vocab):
                n = name.tokens[j]
                if q.initial or n.initial:
                    sim, how = token_similarity(q, n)
                    if sim <= 0.0:
                        continue
                else:
                    found = alike.get(vid)
                    if found is None:
                        continue
                    sim, how = found
                candidates.append((sim, q.weight + n.weight, i, j, how))
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
        used_q: set[int] = set()
        used_n: set[int] = set()
        covered = 0.0
        pairs: list[tuple[int, int, float, How]] = []
        for sim, weight, i, j, how in candidates:
            if i in used_q or j in used_n:
                continue
            used_q.add(i)
            used_n.add(j)
            covered += sim * weight
            pairs.append((i, j, sim, how))
        total = sum(t.weight for t in tokens) + name.total
        return _Scored(name, covered / total, pairs)

    def _hit(self, query: Query, tokens: Sequence[Token], scored: _Scored, weak: _Scored | None) -> Hit:
        entry = self._entries[scored.name.entry]
        adjustments = [
            a
            for a in (
                _birth_date_adjustment(entry.birth_dates, query.birth_date),
                _country_adjustment(self._entry_countries[scored.name.entry], query.countries),
                _party_adjustment(query.kind, entry.party_type),
            )
            if a is not None
        ]
        if weak is not None:
            adjustments.append(
                Adjustment(
                    Factor.weak_aka,
                    WEAK_AKA_CONFIRMS,
                    f"weak a.k.a. {weak.name.listed.full!r} also matches ({weak.score:.2f})",
                )
            )
        score = min(1.0, max(0.0, scored.score + sum(a.delta for a in adjustments)))
        return Hit(
            source=entry.source,
            source_id=entry.source_id,
            party_type=entry.party_type,
            name=scored.name.listed,
            score=round(score, 4),
            name_score=round(scored.score, 4),
            tokens=_comparisons(tokens, scored),
            adjustments=tuple(adjustments),
        )


def _keep_best(best: dict[int, _Scored], entry: int, scored: _Scored) -> None:
    current = best.get(entry)
    if current is None or scored.score > current.score:
        best[entry] = scored


def _comparisons(tokens: Sequence[Token], scored: _Scored) -> tuple[TokenComparison, ...]:
    """Query tokens in their order with what each was paired with, then the name's unpaired tokens."""
    by_query = {i: (j, sim, how) for i, j, sim, how in scored.pairs}
    name_tokens = scored.name.tokens
    out = []
    for i, q in enumerate(tokens):
        paired = by_query.get(i)
        if paired is None:
            out.append(TokenComparison(q.text, None, 0.0, How.unmatched))
        else:
            j, sim, how = paired
            out.append(TokenComparison(q.text, name_tokens[j].text, round(sim, 4), how))
    used = {j for _, j, _, _ in scored.pairs}
    out.extend(
        TokenComparison(None, n.text, 0.0, How.unmatched) for j, n in enumerate(name_tokens) if j not in used
    )
    return tuple(out)
