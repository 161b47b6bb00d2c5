"""The one error a list parser raises: the file is refused whole, never read in part."""

from __future__ import annotations

__all__ = ["ListFileInvalid"]


class ListFileInvalid(Exception):
    """A list file that does not parse, with where and why: ``file`` (its name), ``line`` (1-based; for
    XML the element's line in the file; 0 for the file as a whole, e.g. missing or empty) and a short
    ``reason``. ``str()`` reads "FILE line N: reason"."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        super().__init__(f"{file} line {line}: {reason}")
