"""Names made comparable for screening: any script transliterated to lower-case ASCII tokens, with the
words that say nothing about who a party is (honorifics, legal forms, particles) taken out, and a weight
per token for what is left. Pure, no I/O.

Choices, and why:

- Honorifics (Mr, Dr, Sheikh, Haji, ...) and generational suffixes (Jr, III) are dropped from people's
  names: customers and lists use them inconsistently.
- Legal forms (LLC, Ltd, OOO, PJSC, GmbH, "joint stock company", ...) are dropped from business names:
  the same company is "OOO Romashka" in its register and "Romashka LLC" on a list, and the form says
  nothing about which company it is. Generic business words (Trading, Group, Shipping, ...) are kept at
  a third of a word's weight: they tell companies apart a little, so "Sunrise Trading" and "Moonlight
  Trading" share only a light token, and "Sunrise LLC" is still "Sunrise Trading LLC".
- Particles (al, el, bin, ibn, de, van, von, ...) are dropped: they are spelt, attached and left out
  differently from one transliteration to the next, and say little about who someone is.
- A middle name weighs half (it is the part most often left out or given as an initial), and so does a
  second surname ("BRAVO PRIETO, Javier": Spanish and Portuguese customers often give one); an initial
  weighs half of its name part: "J." says less than "John".
- Arabic-script words are flagged (``abjad``): their transliteration has no short vowels ("mhmd"), so
  matching compares them with Latin spellings by consonant skeleton (``skeleton``).
- A Chinese, Japanese or Korean name written as one word ("张小明") is read as family name + given
  name, the given name in one token ("zhang xiaoming"), as pinyin is usually written.
- Compound names with "Abd" ("Abd al-Rahman", "Abdul Rahman", "Abdulrahman", "عبد الرحمن") become one
  token, "abd" + the rest, however they are spelt.

Nothing is dropped when dropping it would leave no token at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from anyascii import anyascii

from kycrail.screening.entries import ListedName, PartyType

MIDDLE_WEIGHT: Final = 0.5
INITIAL_FACTOR: Final = 0.5  # an initial weighs this share of its name part
GENERIC_WEIGHT: Final = 0.3  # "trading", "group", ... in a business name


class Role(StrEnum):
    """Which part of a person's name a token came from, when known: it sets the token's weight."""

    first = "first"
    middle = "middle"
    last = "last"
    unknown = "unknown"


_ROLE_WEIGHTS: Final = {Role.first: 1.0, Role.middle: MIDDLE_WEIGHT, Role.last: 1.0, Role.unknown: 1.0}


@dataclass(frozen=True, slots=True)
class Token:
    """One comparable word: lower-case ASCII letters and digits."""

    text: str
    weight: float = 1.0
    abjad: bool = False  # transliterated from Arabic script: consonants only

    @property
    def initial(self) -> bool:
        return len(self.text) == 1 and self.text.isalpha()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


HONORIFICS: Final = _words(
    """mr mrs ms miss mx dr doctor prof professor sir dame lord lady madam madame mme mlle monsieur herr
    frau sheikh shaikh shaykh sheik cheikh haji hajji hadji hajj alhaji mullah mulla maulana mawlana
    maulvi imam ayatollah hojatoleslam general gen colonel col major maj captain capt lieutenant lt
    sergeant sgt commander cmdr brigadier admiral engr rev reverend hon excellency hrh sri shri
    jr sr ii iii iv"""
)

PARTICLES: Final = _words(
    "al el ul bin ibn bint ben de del della dela der di da das dos do du la le van von den ter y"
)

# Arabic's article before a "sun letter" is written as it is said: ar-Rahman, ash-Sham, ad-Din. It is
# a particle only when hyphenated to the next word (so "An", a Vietnamese name, stays).
_ASSIMILATED_ARTICLES: Final = _words("ad ag an ar as ash at ath az adh ud ur us")

_ABJAD_PARTICLES: Final = _words("bn bnt")  # بن, ابن, بنت as anyascii writes them

_LEGAL_FORM_WORDS: Final = _words(
    """llc ltd limited inc incorporated corp corporation co company cie gmbh mbh ag kg ohg ooo oao zao pao
    ao tov ip pjsc ojsc cjsc jsc sa sas sarl sae sal sl srl spa bv nv plc llp lp pte pty pvt fze fzco fzc
    fzllc est wll ltda kft zrt doo ab oy asa aps kk"""
)
_LEGAL_FORM_PHRASES: Final = (
    "limited liability company",
    "limited liability partnership",
    "limited partnership",
    "joint stock company",
    "public joint stock company",
    "open joint stock company",
    "closed joint stock company",
    "private joint stock company",
    "public limited company",
    "private limited company",
    "private limited",
    "sociedad anonima",
    "societe anonyme",
    "sociedad limitada",
    "obshchestvo s ogranichennoy otvetstvennostyu",  # "OOO" spelt out (BGN, then anyascii)
    "obshchestvo s ogranichennoi otvetstvennostiu",
    "aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo",
    "zakrytoe aktsionernoe obshchestvo",
)
# Longest first, so that "public joint stock company" goes before "joint stock company".
LEGAL_FORMS: Final = tuple(
    sorted(
        [(word,) for word in sorted(_LEGAL_FORM_WORDS)] + [tuple(p.split()) for p in _LEGAL_FORM_PHRASES],
        key=len,
        reverse=True,
    )
)

_LEGAL_FORMS_BY_FIRST_WORD: Final[dict[str, list[tuple[str, ...]]]] = {}
for _phrase in LEGAL_FORMS:
    _LEGAL_FORMS_BY_FIRST_WORD.setdefault(_phrase[0], []).append(_phrase)

GENERIC_BUSINESS_WORDS: Final = _words(
    """trading trade traders group holding holdings international intl industries industrial industry
    enterprise enterprises services service shipping logistics investment investments invest global
    general import export imports exports management development solutions technologies technology tech
    systems partners consulting resources energy commercial commerce ventures capital finance financial
    construction engineering manufacturing transport marine maritime establishment agency bank exchange
    oil gas petroleum chemicals chemical metals minerals mining telecom electronics textiles foods food
    pharma pharmaceuticals airlines aviation insurance"""
)

_BUSINESS_STOP_WORDS: Final = _words("the and of for")

_APOSTROPHES: Final = str.maketrans("", "", "'`\u2018\u2019\u02bc\u02bb\u00b4\u2032")
_NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_DOTTED_ACRONYM: Final = re.compile(r"\b(?:[a-z]\.){2,}")  # "l.l.c.", "s.a.": one word in a company name
_ABD_PREFIX: Final = re.compile(r"^abd(?:ul|el|al|ol|ur|us|u|ar)?(?=[a-z]{3})")
_ABD_WORDS: Final = _words("abd abdul abdel abdal abdol abdur abdus abdu")


def _is_abjad(char: str) -> bool:
    code = ord(char)
    return (
        0x0590 <= code <= 0x08FF  # Hebrew, Arabic, Syriac, Thaana, Arabic supplements
        or 0xFB1D <= code <= 0xFDFF  # Hebrew and Arabic presentation forms
        or 0xFE70 <= code <= 0xFEFF
    )


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # ASCII, lower case, may still hold punctuation
    abjad: bool = False


def _arabic_words(words: list[str]) -> list[str]:
    """Arabic-script words with the article taken off and "عبد" joined to the name it belongs to."""

    def bare(word: str) -> str:
        # "الله" keeps its article: it is part of the name ("Abdullah").
        return word[2:] if word.startswith("ال") and len(word) >= 4 and word != "الله" else word

    out: list[str] = []
    pending_abd = False
    for word in words:
        if word == "عبد":
            pending_abd = True
            continue
        if word.startswith("عبد") and len(word) > 3:
            word = "عبد" + bare(word[3:])
        elif pending_abd:
            word = "عبد" + bare(word)
        else:
            word = bare(word)
        pending_abd = False
        out.append(word)
    if pending_abd:
        out.append("عبد")
    return out


def _cjk_words(run: str, whole_name: bool) -> list[str]:
    """A run of CJK characters: family name + given name when it is the whole name, else one word."""
    syllables = [anyascii(char) for char in run]
    if whole_name and len(syllables) >= 2:
        return [syllables[0], "".join(syllables[1:])]
    return ["".join(syllables)]


def _script_words(text: str, *, whole_name: bool) -> list[_Word]:
    """Splits on white space and transliterates each word, by script."""
    if text.isascii():  # most list names: nothing to transliterate
        return [_Word(word.lower()) for word in text.split()]
    raw = unicodedata.normalize("NFKC", text).split()
    arabic_run: list[str] = []
    out: list[_Word] = []

    def flush_arabic() -> None:
        out.extend(_Word(anyascii(word).lower(), abjad=True) for word in _arabic_words(arabic_run))
        arabic_run.clear()

    cjk_whole = whole_name and len(raw) == 1
    for word in raw:
        if any(_is_abjad(char) for char in word):
            arabic_run.append(word)
            continue
        flush_arabic()
        if any(_is_cjk(char) for char in word):
            out.extend(_Word(w.lower()) for w in _cjk_words(word, cjk_whole))
        else:
            out.append(_Word(anyascii(word).lower()))
    flush_arabic()
    return out


def _split(word: _Word, *, business: bool) -> list[tuple[str, bool]]:
    """ASCII word -> its alphanumeric pieces, each with whether it was hyphenated to the next one."""
    text = word.text.translate(_APOSTROPHES)
    if business:
        text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    pieces: list[tuple[str, bool]] = []
    for chunk in text.split():
        parts = [part for part in _NON_ALNUM.split(chunk) if part]
        hyphenated = "-" in chunk
        pieces.extend((part, hyphenated and i < len(parts) - 1) for i, part in enumerate(parts))
    return pieces


def _join_abd(texts: list[str]) -> list[str]:
    """Latin "Abd al-Rahman", "Abdul Rahman", "Abdulrahman" -> "abdrahman" (particles already gone)."""
    out: list[str] = []
    pending = False
    for text in texts:
        if text in _ABD_WORDS:
            pending = True
            continue
        out.append(_ABD_PREFIX.sub("abd", "abd" + text if pending else text))
        pending = False
    if pending:
        out.append("abd")
    return out


def _raw_tokens(text: str, *, business: bool, whole_name: bool) -> list[tuple[str, bool]]:
    """(token, abjad) in order, particles and Arabic articles out, "abd" compounds joined."""
    words = _script_words(text, whole_name=whole_name)
    abjad: list[str] = []
    latin: list[str] = []
    for word in words:
        pieces = _split(word, business=business)
        if word.abjad:
            abjad.extend(piece for piece, _ in pieces if piece not in _ABJAD_PARTICLES)
            continue
        latin.extend(
            piece
            for piece, hyphenated in pieces
            if not (hyphenated and piece in _ASSIMILATED_ARTICLES) and (business or piece not in PARTICLES)
        )
    tokens = [(piece, False) for piece in _join_abd(latin)] + [(piece, True) for piece in abjad]
    # A name made only of particles: keep them rather than nothing.
    return tokens or [(piece, word.abjad) for word in words for piece, _ in _split(word, business=business)]


def _without(tokens: list[tuple[str, bool]], words: frozenset[str]) -> list[tuple[str, bool]]:
    kept = [token for token in tokens if token[0] not in words]
    return kept or tokens


def _without_legal_forms(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    texts = [text for text, _ in tokens]
    drop: set[int] = set()
    for start, text in enumerate(texts):
        for phrase in _LEGAL_FORMS_BY_FIRST_WORD.get(text, ()):  # longest first
            span = range(start, start + len(phrase))
            if tuple(texts[start : span.stop]) == phrase and not drop.intersection(span):
                drop.update(span)
                break
    kept = [token for i, token in enumerate(tokens) if i not in drop]
    return kept or tokens


def person_tokens(text: str, role: Role = Role.unknown, *, whole_name: bool = True) -> tuple[Token, ...]:
    """A person's name, or one part of it (``role``; ``whole_name=False`` for a part given alone)."""
    raw = _without(_raw_tokens(text, business=False, whole_name=whole_name), HONORIFICS)
    tokens = tuple(_as_role(Token(piece, abjad=abjad), role) for piece, abjad in raw)
    if role is Role.last:  # a second surname weighs as a middle name
        return tokens[:1] + tuple(_as_role(t, Role.middle) for t in tokens[1:])
    return tokens


def business_tokens(text: str) -> tuple[Token, ...]:
    """A company's or organisation's name (also vessels' and aircraft's)."""
    raw = _without(_raw_tokens(text, business=True, whole_name=False), _BUSINESS_STOP_WORDS)
    raw = _without_legal_forms(raw)
    return tuple(
        Token(piece, GENERIC_WEIGHT if piece in GENERIC_BUSINESS_WORDS else 1.0, abjad)
        for piece, abjad in raw
    )


def person_parts_tokens(first: str | None, middle: str | None, last: str | None) -> tuple[Token, ...]:
    """A person's name given in parts: the middle name weighs less."""
    parts = [
        (text, role) for text, role in ((first, Role.first), (middle, Role.middle), (last, Role.last)) if text
    ]
    whole = len(parts) == 1  # one field holding the whole name ("张小明" as the last name)
    return tuple(token for text, role in parts for token in person_tokens(text, role, whole_name=whole))


def listed_name_tokens(name: ListedName, party_type: PartyType) -> tuple[Token, ...]:
    """A list's name: by its parts where the list gives them, else from its full text, where OFAC's
    "LAST, First Middle" tells the parts apart by the comma, and natural order "First Middle Last"
    by position."""
    if party_type is not PartyType.individual:
        return business_tokens(name.full)
    if name.first or name.last:
        return person_parts_tokens(name.first, name.middle, name.last)
    last, comma, given = name.full.partition(",")
    if comma and given.strip() and last.strip():
        # The given names as one text (so that "Abd al-Rahman" stays one name), the first of them the
        # first name, the others middle names.
        given_tokens = person_tokens(given, Role.first, whole_name=False)
        middles = tuple(_as_role(t, Role.middle) for t in given_tokens[1:])
        return person_tokens(last, Role.last, whole_name=False) + given_tokens[:1] + middles
    # Full text in natural order (an OFAC a.k.a., a UN name without parts): the words between the first
    # and the last are middle names.
    tokens = person_tokens(name.full)
    if len(tokens) < 3:
        return tokens
    return tuple(_as_role(t, Role.middle) if 0 < i < len(tokens) - 1 else t for i, t in enumerate(tokens))


def _as_role(token: Token, role: Role) -> Token:
    weight = _ROLE_WEIGHTS[role] * (INITIAL_FACTOR if token.initial else 1.0)
    return Token(token.text, weight, token.abjad)


def normalize(text: str) -> str:
    """Transliterated, lower case, punctuation out, one space between words: for display and tests."""
    return " ".join(
        piece for word in _script_words(text, whole_name=True) for piece, _ in _split(word, business=False)
    )


# Spelling differences between transliteration systems (BGN/PCGN, French, German, ISO, anyascii) and
# between spellings of the same Arabic name, folded away. Order matters: longer patterns first.
_FOLDS: Final = (
    ("tsch", "ch"),
    ("tch", "ch"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("ts", "z"),  # Kuznetsov / Kusnezow
    ("tz", "z"),
    ("w", "v"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("ei", "ai"),
)
_DOUBLES: Final = re.compile(r"(.)\1+")
_OU: Final = re.compile(r"ou(?=[^aeiou])")  # French spellings: Youssef, Mounir (not Zhou / Zhu)
# German j for y: Nikolajewitsch, Anatolij, and Jaroslaw, Jurij at the start of a long enough word (not
# at the start of a short one: Jun and Yun, Jing and Ying are different Chinese names).
_J_VOWEL: Final = re.compile(r"(?<=.)j(?=[aeiou])|(?<=[aeiou])j$|^j(?=[aeiou].{3})")
_LAX: Final = {"e": "i", "o": "u"}
_LAX_VOWELS: Final = re.compile(r"[eo](?!ng)")
_IOTATED_O: Final = re.compile(r"(?<=[bdfgklmnprstvz])[ij]o")  # Russian ё: Fjodor, Fyodor / Fedor


def fold(text: str) -> str:
    """A token with transliteration differences folded away: "Yevgeniy", "Jewgeni" and "Evgenii" ->
    "ivgini", "Hussein", "Husayn" and "Hussain" -> "husain"."""
    for old, new in _FOLDS:
        if old in text:
            text = text.replace(old, new)
    text = _OU.sub("u", text)
    text = _J_VOWEL.sub("i", text)
    text = _IOTATED_O.sub("e", _DOUBLES.sub(r"\1", text))
    if text.startswith(("ie", "je")) and len(text) > 3:  # Yelena / Jelena / Elena, Yevgeniy / Evgeniy
        text = text[1:]
    if len(text) > 3 and text.endswith("h") and text[-2] in "aeiou":  # Fatimah / Fatima
        text = text[:-1]
    # e/i and o/u: Arabic's kasra and damma, written either way (Adel / Adil, Osama / Usama); not before
    # "ng", where they tell Chinese syllables apart (Ding / Deng, Zhong / Zhung).
    return _LAX_VOWELS.sub(lambda m: _LAX[m.group(0)], text) if len(text) >= 4 else text


_SKELETON_DIGRAPHS: Final = (
    ("sch", "s"),
    ("tch", "C"),
    ("ch", "C"),
    ("sh", "s"),
    ("kh", "h"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("j", "g"),  # ج: Jamal / Gamal, Hijazi / Hegazi
)
_SKELETON_VOWELS: Final = str.maketrans("", "", "aeiouyw")


def skeleton(text: str) -> str:
    """The consonants of a token, as an Arabic-script spelling keeps them: "Muhammad" and "mhmd" (محمد)
    -> "mhmd", "Hussein" and "hsyn" (حسين) -> "hsn". Vowels and w/y (long vowels in Arabic) out, doubles
    collapsed, a final h out (ta marbuta: "Fatimah", "ftmh"); j and g one letter (ج, Egyptian g)."""
    for old, new in _SKELETON_DIGRAPHS:
        if old in text:
            text = text.replace(old, new)
    text = _DOUBLES.sub(r"\1", text.translate(_SKELETON_VOWELS))
    return text[:-1] if len(text) > 1 and text.endswith("h") else text
