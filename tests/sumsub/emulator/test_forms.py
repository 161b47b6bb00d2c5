"""Multipart parsing: every part kept as bytes, anything malformed a 400, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kycrail.sumsub.emulator import forms
from kycrail.sumsub.emulator.errors import Failure
from tests.sumsub.emulator.calls import multipart


def test_parts_are_named_and_kept_as_bytes() -> None:
    body, content_type = multipart(("metadata", b'{"a": 1}', None), ("content", b"\xff\x00\xfe", "x.png"))
    parts = forms.parse(content_type, body)
    assert bytes(parts["metadata"].data) == b'{"a": 1}'
    assert parts["metadata"].filename is None
    assert bytes(parts["content"].data) == b"\xff\x00\xfe"
    assert parts["content"].filename == "x.png"


def test_the_first_part_of_a_name_wins() -> None:
    body, content_type = multipart(("a", b"1", None), ("a", b"2", None))
    assert bytes(forms.parse(content_type, body)["a"].data) == b"1"


def test_a_part_content_type_is_read() -> None:
    boundary = "b"
    body = (
        b'--b\r\nContent-Disposition: form-data; name="content"; filename="a.png"\r\n'
        b"Content-Type: image/PNG; x=y\r\n\r\nDATA\r\n--b--\r\n"
    )
    part = forms.parse(f"multipart/form-data; boundary={boundary}", body)["content"]
    assert part.content_type == "image/png"


@pytest.mark.parametrize(
    "content_type", ["", "text/plain", "multipart/form-data", "multipart/mixed; boundary=b"]
)
def test_other_content_types_are_refused(content_type: str) -> None:
    with pytest.raises(Failure) as caught:
        forms.parse(content_type, b"--b--\r\n")
    assert caught.value.status == 400


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["b", "kycrail-test-boundary", "--", "\u00e9"]))
def test_hostile_bodies_answer_parts_or_a_400(body: bytes, boundary: str) -> None:
    status = 200
    try:
        forms.parse(f"multipart/form-data; boundary={boundary}", b"--" + boundary.encode() + b"\r\n" + body)
    except Failure as failure:
        status = failure.status
    assert status in (200, 400)
