"""XML list files read into a small tree that keeps each element's line, for errors that say where.

Why not ``xml.etree.ElementTree``: it drops source lines, and the expat it wraps refuses external
entities but expands internal ones, so a "billion laughs" file (entities nested in a DTD) would
fill the memory. ``defusedxml`` is not installed. So the file is read with expat directly, and any
DTD (a ``<!DOCTYPE``, the only place an ``<!ENTITY`` can be declared) refuses it: no official list
has one. Names are compared without their namespace: the lists use one each (the EU's) or none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from kycrail.screening.sources.errors import ListFileInvalid

__all__ = ["Node", "parse_xml"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(slots=True)
class Node:
    """One element: its local name, attributes (local names too), text and children, and the line its
    start tag is on."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.text_parts).strip()

    def all(self, tag: str) -> Iterator[Node]:
        """The children named ``tag``."""
        return (child for child in self.children if child.tag == tag)

    def first(self, tag: str) -> Node | None:
        return next(self.all(tag), None)

    def child_text(self, tag: str) -> str:
        """The text of the first child named ``tag``; empty when there is none."""
        child = self.first(tag)
        return child.text if child is not None else ""

    def attribute(self, name: str) -> str:
        return self.attributes.get(name, "").strip()


class _Builder:
    """Expat's callbacks, building the tree with an explicit stack (no recursion, whatever the depth)."""

    def __init__(self, parser: Any, file: str) -> None:
        self.parser = parser
        self.file = file
        self.stack: list[Node] = []
        self.root: Node | None = None

    def refuse(self, reason: str) -> None:
        raise ListFileInvalid(self.file, int(self.parser.CurrentLineNumber), reason)

    def doctype(self, *_: object) -> None:
        self.refuse("a DTD (<!DOCTYPE): refused, it could declare entities")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        for value in attributes.values():
            self.check(value)
        local = {_local(key): value for key, value in attributes.items()}
        node = Node(_local(name), local, int(self.parser.CurrentLineNumber))
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, _name: str) -> None:
        self.stack.pop()

    def characters(self, data: str) -> None:
        self.check(data)
        if self.stack:
            self.stack[-1].text_parts.append(data)

    def check(self, value: str) -> None:
        if _CONTROL.search(value):
            self.refuse("a control character")


def _local(name: str) -> str:
    """``uri}local`` (expat's namespaced form) to ``local``."""
    return name.rpartition("}")[2]


def parse_xml(raw: bytes, file: str) -> Node:
    """The root element of an XML file, or ``ListFileInvalid`` at the line expat stopped on."""
    parser = expat.ParserCreate(namespace_separator="}")
    builder = _Builder(parser, file)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = builder.doctype
    parser.EntityDeclHandler = builder.doctype
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.characters
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as error:
        raise ListFileInvalid(file, int(error.lineno), f"not XML ({expat.ErrorString(error.code)})") from None
    if builder.root is None:  # pragma: no cover - expat refuses a document without an element
        raise ListFileInvalid(file, 0, "no XML element")
    return builder.root
