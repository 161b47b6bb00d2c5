"""Every value a page shows is escaped: markup and any hostile string render as text, never as an
element, an attribute or a template (kycrail/console/pages.py: Jinja2 autoescape)."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from kycrail.console import pages
from tests.fuzz.hostile import hostile_strings

MARKUP = st.sampled_from(
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '"',
        "'",
        "&amp;",
        "</td></tr>",
        "{{ 7*7 }}",
        "{% raw %}",
    ]
)
NAMES = st.one_of(
    hostile_strings(surrogates=False),
    st.lists(st.one_of(MARKUP, st.text(max_size=5)), min_size=1, max_size=5).map("".join),
)


class Shape(HTMLParser):
    """The elements of a page (tag and attribute names) and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(name for name, _ in attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def queue_with(name: str) -> Shape:
    row = {
        "id": "customer_0123",
        "name": name,
        "type": "individual",
        "submitted_at": datetime(2026, 12, 1, tzinfo=UTC),
        "created_at": datetime(2026, 12, 1, tzinfo=UTC),
        "holder": name,
        "mine": False,
    }
    html = pages.page(
        "queue.html",
        signed=None,
        csrf="t",
        rows=[row],
        total=1,
        page=1,
        pages_count=1,
        filters={"status": "pending", "type": "any", "whose": "anyone"},
        statuses=("pending",),
        types=("any",),
        whose_choices=("anyone",),
        notice="",
    ).body.decode()
    shape = Shape()
    shape.feed(html)
    shape.close()
    return shape


BASELINE = queue_with("Jane Doe").elements


@given(NAMES)
def test_any_name_renders_as_text_and_adds_no_element(name: str) -> None:
    shape = queue_with(name)
    assert shape.elements == BASELINE
    assert name.replace("\r\n", "\n").replace("\r", "\n") in "".join(shape.text).replace(
        "\r\n", "\n"
    ).replace("\r", "\n")
