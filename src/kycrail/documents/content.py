"""What a file really is, judged by its bytes (never by its name or declared type)."""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A PDF's trailer sits at its end; writers may append a little after it.
_PDF_TRAILER_WINDOW = 1024


def sniff_content_type(content: bytes) -> str | None:
    """``image/jpeg``, ``image/png`` or ``application/pdf`` when the bytes are one; None otherwise."""
    if content.startswith(b"\xff\xd8\xff") and len(content) > 4:
        return "image/jpeg"
    # PNG: the signature, then the IHDR chunk that must come first.
    if content.startswith(_PNG_SIGNATURE) and content[12:16] == b"IHDR":
        return "image/png"
    # PDF: a versioned header and an end-of-file marker (a truncated upload lacks the latter).
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-_PDF_TRAILER_WINDOW:]:
        return "application/pdf"
    return None
