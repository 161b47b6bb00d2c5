"""Multipart bodies, parsed from the bytes already read for the signature check.

Starlette's form parser is not used: it decodes a part sent without a filename as text, and clients
(SumSub's Node SDK among them) send a document's image as such a part. Every part is kept as bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from kycrail.sumsub.emulator.errors import Failure

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_PARTS = 8


@dataclass
class Part:
    data: bytearray = field(default_factory=bytearray)
    headers: dict[bytes, bytes] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        _, options = parse_options_header(self.headers.get(b"content-disposition"))
        name = options.get(b"name")
        return name.decode("utf-8", "replace") if name is not None else None

    @property
    def filename(self) -> str | None:
        _, options = parse_options_header(self.headers.get(b"content-disposition"))
        filename = options.get(b"filename")
        return filename.decode("utf-8", "replace") if filename is not None else None

    @property
    def content_type(self) -> str | None:
        value = self.headers.get(b"content-type")
        return value.decode("latin-1").split(";")[0].strip().lower() if value else None


def parse(content_type: str, body: bytes) -> dict[str, Part]:
    """The named parts of a ``multipart/form-data`` body (the first of each name). A 400 ``Failure``
    for any other body."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise Failure(400, "Expected a multipart/form-data body")
    parts: list[Part] = []
    header: list[bytes] = [b"", b""]

    def begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise Failure(400, f"A multipart body may have at most {MAX_PARTS} parts")
        parts.append(Part())

    def data(chunk: bytes, start: int, end: int) -> None:
        parts[-1].data.extend(chunk[start:end])

    def header_field(chunk: bytes, start: int, end: int) -> None:
        header[0] += chunk[start:end]

    def header_value(chunk: bytes, start: int, end: int) -> None:
        header[1] += chunk[start:end]

    def header_end() -> None:
        parts[-1].headers[header[0].lower()] = header[1]
        header[:] = [b"", b""]

    callbacks: MultipartCallbacks = {
        "on_part_begin": begin,
        "on_part_data": data,
        "on_header_field": header_field,
        "on_header_value": header_value,
        "on_header_end": header_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except FormParserError:
        raise Failure(400, "The multipart body is malformed") from None
    named: dict[str, Part] = {}
    for part in parts:
        if part.name is not None:
            named.setdefault(part.name, part)
    return named
