"""What a signed SumSub webhook names (issue 23, item 7a): a body kycrail cannot read or keep is a
BadNotification (the route answers 400), never an exception of another kind."""

from __future__ import annotations

import json

import pytest

from kycrail.sumsub.notifications import BadNotification, Notification, parse

DEEP = 10_000


def body(**fields: object) -> bytes:
    return json.dumps(
        {"type": "applicantReviewed", "applicantId": "5f1e2d3c4b5a69788796a5b4", **fields}
    ).encode()


def test_a_notification_names_its_type_and_applicant() -> None:
    assert parse(body(reviewStatus="completed")) == Notification(
        "applicantReviewed", "5f1e2d3c4b5a69788796a5b4"
    )
    assert parse(body(applicantId="ünïcode-id é")).applicant_id == "ünïcode-id é"  # printable is enough


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        pytest.param(b"[" * DEEP + b"]" * DEEP, "nested too deep", id="deep array"),
        pytest.param(b'{"a": ' * DEEP + b"1" + b"}" * DEEP, "nested too deep", id="deep object"),
        pytest.param(
            body(x=None).replace(b"null", b"[" * DEEP + b"]" * DEEP), "nested too deep", id="deep field"
        ),
        pytest.param(b"\xff\xfe{", "not JSON", id="not UTF-8"),
        pytest.param(b'{"type": 1' + b"0" * 5000 + b"}", "not JSON", id="an int too long to convert"),
        pytest.param(b"[]", "not a JSON object", id="an array"),
        pytest.param(body(type=""), "type is missing", id="empty type"),
        pytest.param(body(type="t" * 61), "type is missing", id="long type"),
        pytest.param(body(applicantId=None), "applicantId is missing", id="no applicant"),
        pytest.param(body(applicantId="a" * 101), "applicantId is missing", id="long applicant"),
        pytest.param(body(applicantId="\ud800"), "applicantId is not printable", id="lone surrogate"),
        pytest.param(body(type="applicant\udfffReviewed"), "type is not printable", id="surrogate in type"),
        pytest.param(body(type="applicant\nReviewed"), "type is not printable", id="LF in type"),
        pytest.param(body(type="applicantReviewed\r"), "type is not printable", id="CR in type"),
        pytest.param(body(applicantId="a1\x00"), "applicantId is not printable", id="NUL"),
        pytest.param(body(applicantId="a1\t"), "applicantId is not printable", id="TAB"),
        pytest.param(body(applicantId="\x1b[2Ja1"), "applicantId is not printable", id="ESC"),
        pytest.param(body(applicantId="a1\x7f"), "applicantId is not printable", id="DEL"),
        pytest.param(body(applicantId="a1\x85"), "applicantId is not printable", id="NEL"),
        pytest.param(body(applicantId="a1\u2028"), "applicantId is not printable", id="line separator"),
        pytest.param(body(applicantId="a1\u2029"), "applicantId is not printable", id="paragraph separator"),
        pytest.param(body(applicantId="a1\u202e"), "applicantId is not printable", id="bidi override"),
    ],
)
def test_what_cannot_be_read_or_kept_is_a_bad_notification(raw: bytes, why: str) -> None:
    with pytest.raises(BadNotification, match=why):
        parse(raw)
