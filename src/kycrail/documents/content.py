"""What a file really is, judged by its bytes (never by its name or declared type), and whether kycrail
takes it: JPEG, PNG, WEBP or PDF; an image no larger than a pixel limit, read from its header before
anything is decoded (a decompression bomb is refused, never decoded), then checked whole."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from kycrail.errors import DocumentTooManyPixels, UnsupportedDocumentContent

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # the default of KYCRAIL_DOCUMENT_MAX_BYTES
MAX_DOCUMENT_PIXELS = (
    40_000_000  # the default of KYCRAIL_DOCUMENT_MAX_PIXELS: a 50 MP phone's photo is 8,000 x 6,000
)

TAKEN = ("image/jpeg", "image/png", "image/webp", "application/pdf")
_PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A PDF's trailer sits at its end; writers may append a little after it.
_PDF_TRAILER_WINDOW = 1024


def sniff_content_type(content: bytes) -> str | None:
    """The type the bytes claim to be, by their signature alone: one of ``TAKEN``, or None."""
    if content.startswith(b"\xff\xd8\xff") and len(content) > 4:
        return "image/jpeg"
    # PNG: the signature, then the IHDR chunk that must come first.
    if content.startswith(_PNG_SIGNATURE) and content[12:16] == b"IHDR":
        return "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    # PDF: a versioned header and an end-of-file marker (a truncated upload lacks the latter).
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-_PDF_TRAILER_WINDOW:]:
        return "application/pdf"
    return None


def checked_content_type(content: bytes, *, max_pixels: int = MAX_DOCUMENT_PIXELS) -> str:
    """The file's type when kycrail takes it; UnsupportedDocumentContent (what it is not) or
    DocumentTooManyPixels otherwise."""
    claimed = sniff_content_type(content)
    if claimed is None:
        raise UnsupportedDocumentContent(pointer="/file")
    if claimed != "application/pdf":
        _check_image(content, claimed, max_pixels)
    return claimed


def _check_image(content: bytes, claimed: str, max_pixels: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit decides
        try:
            # Opening reads the header only: the dimensions are known before any pixel is decoded.
            with Image.open(io.BytesIO(content), formats=list(_PILLOW_FORMATS)) as image:
                if _PILLOW_FORMATS.get(image.format or "") != claimed:
                    raise UnsupportedDocumentContent(pointer="/file")
                width, height = image.size
                if width * height > max_pixels:
                    raise DocumentTooManyPixels(
                        f"The image is {width} x {height} pixels; at most {max_pixels:,} are taken.",
                        pointer="/file",
                    )
                _read_whole(image, width, height)
        except Image.DecompressionBombError:  # Pillow's own guard, past twice its limit: said at open
            raise DocumentTooManyPixels(
                f"The image has far more than the {max_pixels:,} pixels taken.", pointer="/file"
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise UnsupportedDocumentContent(pointer="/file") from None


def _read_whole(image: Image.Image, width: int, height: int) -> None:
    """The whole file read, so that a truncated or corrupt image is refused: a PNG's chunks checked
    (their CRCs), a JPEG decoded at an eighth of its size (every block is still read), a WEBP decoded."""
    if image.format == "PNG":
        image.verify()
        return
    if image.format == "JPEG":
        image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
    image.load()
