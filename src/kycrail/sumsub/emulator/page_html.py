"""The WebSDK page's HTML: one self-contained document (inline CSS, one inline script, no external
asset). Everything that comes from a request or the state is escaped with ``html.escape``."""

from __future__ import annotations

import base64
from html import escape

from kycrail.sumsub.emulator.sample import sample_png
from kycrail.sumsub.emulator.wire import JsonObject

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1c2430}
main{max-width:560px;margin:24px auto;padding:0 16px}
section{background:#fff;border-radius:10px;padding:16px 20px;margin-bottom:16px;box-shadow:0 1px 3px #0002}
h1{font-size:20px}h2{font-size:16px;margin-top:0}
label{display:block;margin:10px 0 2px;font-weight:600}
input,select{width:100%;box-sizing:border-box;padding:7px;border:1px solid #b8c0cc;border-radius:6px}
button{margin:12px 8px 0 0;padding:8px 14px;border:0;border-radius:6px;background:#2057a0;color:#fff}
button.secondary{background:#5b6573}button.danger{background:#b3261e}
.note{color:#5b6573;font-size:13px}.error{color:#b3261e;font-weight:600}
.status{font-size:18px;font-weight:700}
"""

# Attaches the built-in sample to the file input, as if the person had picked it.
_SCRIPT = """
var useSample = document.getElementById("use-sample");  // absent when no document is asked for
if (useSample) useSample.addEventListener("click", function (event) {
  var bytes = Uint8Array.from(atob(event.target.dataset.sample), function (c) { return c.charCodeAt(0); });
  var file = new File([bytes], "sample-document.png", {type: "image/png"});
  var transfer = new DataTransfer();
  transfer.items.add(file);
  document.getElementById("content").files = transfer.files;
  document.getElementById("chosen").textContent = "sample-document.png attached";
});
"""

_STATUS_NAMES = {"init": "Documents requested", "pending": "Pending review", "onHold": "Requires action"}
_SUBMITTABLE_NOTE = {
    "init": "Please tell us who you are and add an identity document.",
    "onHold": "We need something more from you: please submit again.",
    "completed": "Please submit again with the corrections asked for.",
}


def _document(title: str, body: str, nonce: str | None = None) -> str:
    script = f'<script nonce="{escape(nonce)}">{_SCRIPT}</script>' if nonce else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main>{script}</body></html>"
    )


def gone(status: int) -> str:
    """The page for an unknown (404) or expired (410) link: says nothing about whose link it was."""
    text = "This verification link has expired." if status == 410 else "This verification link is not valid."
    return _document(
        "Verification link", f"<section><h1>{escape(text)}</h1><p>Ask for a new link.</p></section>"
    )


def _status(review: JsonObject) -> str:
    status = str(review.get("reviewStatus", ""))
    result = review.get("reviewResult") or {}
    answer = str(result.get("reviewAnswer", "")) if status == "completed" else ""
    # SumSub's dashboard names for the states (docs/sumsub.md, "Applicants").
    shown = {"GREEN": "Approved", "RED": "Rejected"}.get(answer) or _STATUS_NAMES.get(status, status)
    if answer == "RED" and result.get("reviewRejectType") == "RETRY":
        shown = "Resubmission requested"
    lines = [
        f'<p class="status" id="status" data-review-status="{escape(status)}" '
        f'data-review-answer="{escape(answer)}">{escape(shown)}</p>'
    ]
    if result.get("rejectLabels") and status == "completed":
        labels = ", ".join(str(label) for label in result["rejectLabels"])
        lines.append(f'<p id="reject-labels">Reasons: {escape(labels)}</p>')
    if result.get("moderationComment") and status == "completed":  # clientComment is never shown
        lines.append(f'<p id="moderation-comment">{escape(str(result["moderationComment"]))}</p>')
    return "".join(lines)


def _field(name: str, label: str, value: object, kind: str = "text", extra: str = "") -> str:
    shown = escape(value) if isinstance(value, str) else ""
    return (
        f'<label for="{name}">{escape(label)}</label>'
        f'<input id="{name}" name="{name}" type="{kind}" value="{shown}" required {extra}>'
    )


def _person_fields(applicant: JsonObject) -> str:
    fixed = applicant.get("fixedInfo", {})
    if applicant.get("type") == "company":
        company = fixed.get("companyInfo") if isinstance(fixed.get("companyInfo"), dict) else {}
        return _field("companyName", "Company name", company.get("companyName")) + _field(
            "registrationNumber", "Registration number", company.get("registrationNumber")
        )
    return (
        _field("firstName", "First name", fixed.get("firstName"), extra='autocomplete="given-name"')
        + _field("lastName", "Last name", fixed.get("lastName"), extra='autocomplete="family-name"')
        + _field("dob", "Date of birth", fixed.get("dob"), kind="date")
    )


def _submit_form(applicant: JsonObject, doc_types: list[str], token: str) -> str:
    if not doc_types:  # the document stands: only the liveness step is asked for again
        return _liveness_form(token)
    options = "".join(f'<option value="{escape(t)}">{escape(t)}</option>' for t in doc_types)
    sample = base64.b64encode(sample_png()).decode()
    return (
        f'<form id="submit-form" method="post" action="{escape(token)}/submit" enctype="multipart/form-data">'
        f"{_person_fields(applicant)}"
        f'<label for="idDocType">Document</label><select id="idDocType" name="idDocType">{options}</select>'
        + _field("country", "Issuing country (3 letters)", "USA", extra='pattern="[A-Z]{3}" maxlength="3"')
        + '<label for="content">Document image</label>'
        '<input id="content" name="content" type="file" accept="image/*,application/pdf" required>'
        '<p class="note" id="chosen"></p>'
        f'<button type="button" class="secondary" id="use-sample" data-sample="{sample}">'
        "Use a sample document</button>"
        '<button type="submit" id="submit">Submit for review</button></form>'
    )


def _liveness_form(token: str) -> str:
    return (
        f'<form id="submit-form" method="post" action="{escape(token)}/submit" enctype="multipart/form-data">'
        '<p id="liveness-note">Your identity document stands: please take the liveness check again '
        "(in the sandbox it passes).</p>"
        '<button type="submit" name="liveness" value="passed" id="submit">Take the liveness check</button>'
        "</form>"
    )


def _reviewer(token: str) -> str:
    return (
        "<section><h2>Sandbox reviewer</h2>"
        "<p class=\"note\">What SumSub's reviewers would decide (the emulator's testCompleted).</p>"
        f'<form id="review-form" method="post" action="{escape(token)}/review" enctype="multipart/form-data">'
        '<label for="comment">Comment to the person (optional)</label>'
        '<input id="comment" name="comment" type="text" maxlength="500">'
        '<button type="submit" name="decision" value="approve" id="approve">Approve</button>'
        '<button type="submit" name="decision" value="reject" id="reject" class="danger">'
        "Reject (final)</button>"
        '<button type="submit" name="decision" value="retry" id="retry" class="secondary">'
        "Ask for resubmission</button>"
        '<button type="submit" name="decision" value="hold" id="hold" class="secondary">Put on hold</button>'
        "</form></section>"
    )


def page(
    applicant: JsonObject,
    doc_types: list[str],
    token: str,
    *,
    submittable: bool,
    nonce: str,
    error: str | None = None,
) -> str:
    """The page for a link's applicant. Form actions are relative to the page's own URL (the token).
    ``doc_types``: the documents the person may give; none when only the liveness step is asked for."""
    review = applicant.get("review", {})
    person = "<section><h1>Identity verification</h1>"
    level = escape(str(review.get("levelName")))
    person += f'<p class="note">Sandbox: the kycrail SumSub emulator, level {level}.</p>'
    person += _status(review)
    if error:
        person += f'<p class="error" id="error">{escape(error)}</p>'
    if submittable:
        note = _SUBMITTABLE_NOTE.get(str(review.get("reviewStatus")), "") if doc_types else ""
        person += f"<p>{escape(note)}</p>{_submit_form(applicant, doc_types, token)}"
    elif review.get("reviewStatus") == "pending":
        person += "<p>Thank you: your documents are being reviewed.</p>"
    person += "</section>"
    return _document("Identity verification", person + _reviewer(token), nonce)
