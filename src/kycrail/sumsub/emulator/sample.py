"""A built-in sample document: a small PNG drawn like an ID card, for a sandbox person who has no
document image at hand. Made here (no file shipped), the same bytes every time."""

from __future__ import annotations

import struct
import zlib
from functools import cache

WIDTH, HEIGHT = 160, 100
_CARD = (236, 241, 247)
_BAND = (32, 87, 160)
_PHOTO = (150, 160, 175)
_LINE = (90, 100, 115)


def _pixel(x: int, y: int) -> tuple[int, int, int]:
    if y < 18:
        return _BAND  # the issuer's band across the top
    if 10 <= x < 50 and 28 <= y < 84:
        return _PHOTO  # the holder's photo
    if 60 <= x < 150 and y in (34, 35, 46, 47, 58, 59, 70, 71) and not (x > 130 and y > 60):
        return _LINE  # lines of text
    return _CARD


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def sample_png() -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(_pixel(x, y)) for x in range(WIDTH)) for y in range(HEIGHT)
    )  # each row: filter type 0, then RGB pixels
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def sample_selfie_png(capture: int = 0) -> bytes:
    """The sandbox person's selfie: a face-sized square, not the card, and a new capture each time (a
    liveness check takes a new one; SumSub refuses the same file twice on an applicant)."""
    shade = (capture % 200, *_PHOTO[1:])
    rows = b"".join(b"\x00" + bytes(shade) * 64 for _ in range(64))
    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )
