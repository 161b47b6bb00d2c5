"""What every list parser shares: reading a file (a path, or bytes already fetched) within a size
limit, decoding it strictly, CSV rows with the line each starts on, and the checks that make hostile
input a ``ListFileInvalid`` naming the file and line, never another exception."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn, TypeAlias, TypeVar

from kycrail.screening.entries import BirthDate
from kycrail.screening.sources.errors import ListFileInvalid

__all__ = [
    "MAX_FILE_BYTES",
    "ListInput",
    "Where",
    "birth_date",
    "clean",
    "csv_rows",
    "decode",
    "load",
    "unique",
    "year",
]

# The largest list file read: the biggest official file (the EU's XML) is tens of megabytes. A
# bigger file is refused before it is read, so a wrong path cannot fill the memory.
MAX_FILE_BYTES = 256 * 1024 * 1024

# A list file: its path, or its bytes (already fetched; the caller then says its name).
ListInput: TypeAlias = bytes | Path

# Control characters other than tab and line breaks: no official list holds them, and a NUL would
# be refused by PostgreSQL later, far from the file that brought it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"[0-9]{4}")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a list file, to refuse it from."""

    file: str
    line: int

    def fail(self, reason: str) -> NoReturn:
        raise ListFileInvalid(self.file, self.line, reason)


def load(data: ListInput, name: str) -> bytes:
    """The file's bytes; ``name`` is what errors call it (a path's own name is used for a path)."""
    if isinstance(data, bytes):
        return data
    try:
        with data.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ListFileInvalid(
            name, 0, f"cannot be read ({error.strerror or type(error).__name__})"
        ) from error
    if len(raw) > MAX_FILE_BYTES:
        raise ListFileInvalid(name, 0, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    return raw


def decode(raw: bytes, file: str) -> str:
    """The text of a UTF-8 file (a leading BOM dropped), refused at the line of a byte that is not
    UTF-8, or of a control character: the official files are UTF-8 (OFAC's plain ASCII)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ListFileInvalid(file, line, "not UTF-8 text") from None
    control = _CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        raise ListFileInvalid(file, line, f"control character U+{ord(control.group()):04X}")
    return text


def csv_rows(text: str, file: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV record with the line it starts on. Quoting is strict: a stray quote after a
    quoted field refuses the file rather than silently joining fields."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ListFileInvalid(file, start, f"not CSV ({error})") from None
        if any(cell.strip() for cell in row):
            yield start, row


def clean(value: str) -> str:
    """A name or short value as one line: runs of white space (line breaks included) made one space."""
    return _SPACES.sub(" ", value).strip()


def unique(items: Iterable[T]) -> tuple[T, ...]:
    """The items once each, in their first order: lists repeat values across rows."""
    return tuple(dict.fromkeys(items))


def year(text: str, where: Where, what: str) -> int:
    """A four-digit year, or the file is refused."""
    text = text.strip()
    if not _YEAR.fullmatch(text):
        where.fail(f"{what} is not a year: {text[:40]!r}")
    return int(text)


def birth_date(
    where: Where, year: int, month: int | None = None, day: int | None = None, year_to: int | None = None
) -> BirthDate:
    """A checked ``BirthDate``: a real calendar date when it is a full date, and a span that runs
    forwards. A date that cannot be refuses the file."""
    if month is not None and not 1 <= month <= 12:
        where.fail(f"no month {month} in a date of birth")
    if day is not None:
        if month is None:
            where.fail("a day of birth without its month")
        try:
            date(year, month, day)
        except ValueError:
            where.fail(f"no such date of birth {year:04d}-{month:02d}-{day:02d}")
    if year_to is not None and year_to < year:
        where.fail(f"a span of birth years that runs backwards: {year} to {year_to}")
    return BirthDate(year=year, month=month, day=day, year_to=year_to)
