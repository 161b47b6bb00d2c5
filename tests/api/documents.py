"""Small, well-formed document files built in code (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png(variant: int = 0) -> bytes:
    """A real 1x1 PNG (``variant``: another pixel, so another file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(((variant >> 16) % 256, (variant >> 8) % 256, variant % 256)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels over a few bytes of data: a
    decompression bomb's shape (decoding it would take width x height x 3 bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf(variant: int = 0) -> bytes:
    """A minimal one-page PDF (``variant``: a comment that makes another file)."""
    return (
        f"%PDF-1.4\n%{variant}\n".encode() + b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def image(kind: str = "JPEG", size: tuple[int, int] = (8, 8), shade: int = 0) -> bytes:
    """A real image, encoded by Pillow: ``shade`` makes files that differ byte for byte."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (shade % 256, 80, 160)).save(buffer, kind)
    return buffer.getvalue()


def jpeg(shade: int = 0) -> bytes:
    return image("JPEG", shade=shade)


def webp(shade: int = 0) -> bytes:
    return image("WEBP", shade=shade)
