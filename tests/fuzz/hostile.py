"""Hypothesis strategies for the text a broken or hostile client sends, and a check of what may be stored.

Schema-driven fuzzing never sends a lone surrogate (JSON carries one escaped, ``"\\ud800"``), and its
random bodies seldom pass the API's other rules, so the odd characters it does send rarely reach
storage. These strategies draw lone surrogates, control characters, bidirectional controls and
decomposed accents, mixed with ordinary text, to put into bodies that are valid otherwise.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

# Unicode's control characters (Cc): C0 (NUL, tab, newline, carriage return...), DEL and C1 (NEL...).
CONTROL_CHARACTERS = tuple(chr(code) for code in (*range(0x20), *range(0x7F, 0xA0)))
# Embeddings, overrides, isolates and marks that reorder how text is displayed.
BIDI_CONTROL_CHARACTERS = (
    "\u061c",
    "\u200e",
    "\u200f",
    *(chr(code) for code in range(0x202A, 0x202F)),
    *(chr(code) for code in range(0x2066, 0x206A)),
)

LONE_SURROGATES = st.characters(categories=["Cs"])
CONTROLS = st.sampled_from(CONTROL_CHARACTERS)
BIDI_CONTROLS = st.sampled_from(BIDI_CONTROL_CHARACTERS)
DECOMPOSED = st.sampled_from(["e\u0301", "Jose\u0301", "A\u030a", "n\u0303", "u\u0308", "c\u0327"])
ORDINARY = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8)

HOSTILE_PIECES = st.one_of(LONE_SURROGATES, CONTROLS, BIDI_CONTROLS, DECOMPOSED)


@st.composite
def hostile_strings(draw: st.DrawFn, *, surrogates: bool = True) -> str:
    """Ordinary text with at least one hostile piece in it, at the start, the end or in between.

    Without ``surrogates`` for what cannot carry one (a form field has no escape for it).
    """
    hostile = HOSTILE_PIECES if surrogates else st.one_of(CONTROLS, BIDI_CONTROLS, DECOMPOSED)
    pieces = draw(st.lists(st.one_of(ORDINARY, hostile), max_size=4))
    pieces.insert(draw(st.integers(0, len(pieces))), draw(hostile))
    return "".join(pieces)


def _text_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _text_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_paths(item, (*path, index))


def _replaced(value: Any, path: tuple[Any, ...], text: str) -> Any:
    if not path:
        return text
    copied = copy.copy(value)
    copied[path[0]] = _replaced(value[path[0]], path[1:], text)
    return copied


def with_text_at(value: Any, index: int, text: str) -> Any:
    """Any JSON value (or form) with ``text`` in place of its ``index``-th string (counted round), or
    as is if it holds none. A plain function, so a strategy's draws need not depend on the value."""
    paths = list(_text_paths(value))
    return _replaced(value, paths[index % len(paths)], text) if paths else value


# --- what may be stored --------------------------------------------------------------------------


def _forbidden(text: str, *, free_text: bool) -> bool:
    allowed = "\t\n\r" if free_text else ""
    return any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in text)


def strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str, bool]]:
    """Every string of a JSON value, keys included, as (pointer, text, is a key)."""
    if isinstance(value, str):
        yield pointer, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{pointer}/{key}"
            yield where, key, True
            yield from strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{pointer}/{index}")


# Free text, where tab and newline are allowed: meta values and a reviewer's message.
FREE_TEXT_PARENTS = ("meta", "metadata")
FREE_TEXT_FIELDS = ("message",)
NAMES = ("firstName", "middleName", "lastName", "legalName", "tradeName")


def storage_problems(answer: Any) -> list[str]:
    """What an answer (a customer, a list, an event) shows that a client could not have sent: forbidden
    characters (tab and newline allowed in free text only), names not in NFC. Empty when all is well."""
    problems = []
    for pointer, text, is_key in strings(answer):
        *_, parent, field = ["", *pointer.split("/")]
        free = not is_key and (parent in FREE_TEXT_PARENTS or field in FREE_TEXT_FIELDS)
        if _forbidden(text, free_text=free):
            problems.append(f"forbidden character at {pointer}")
        if not is_key and field in NAMES and unicodedata.normalize("NFC", text) != text:
            problems.append(f"name not in NFC at {pointer}")
    return problems
