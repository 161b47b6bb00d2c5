"""Building blocks every wire dialect uses: strict models, timestamps, collected field errors.

Every time an answer or a webhook payload carries is written by ``iso_utc``, in the one form the seed
shows (``2026-03-09T20:46:31.305Z``): directly where a body is built by hand, through ``WireTime`` where
a model serialises it, and through ``wire_time`` for the audit trail's stored values.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, NoReturn

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
)
from starlette.responses import JSONResponse as StarletteJSONResponse

from kycrail.customers import rules
from kycrail.errors import FieldError, ValidationFailed


class JSONResponse(StarletteJSONResponse):
    """Starlette's JSON response, serialised by orjson (several times faster on a page of customers).

    What orjson refuses (an integer beyond 64 bits in ``meta``, say) goes through the standard encoder,
    so the answer is the same JSON either way. That one escapes non-ASCII: a lone surrogate (in a pointer
    naming a key a client sent) has no UTF-8 form, but ``\\ud800`` is valid JSON, so rendering never fails.
    """

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


NOT_NULL = "Must not be null; omit the field instead."


def _documented(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The document says what ``StrictModel`` checks: each text field's pattern (no control character;
    in free text, tab and line breaks allowed), no field nullable in a model that refuses nulls (an
    optional field is omitted to leave it as it is), and the model's own cross-field rules
    (``documented_rules``: required together, required when, formats that depend on another field)."""
    free_text: frozenset[str] = getattr(model, "free_text_fields", frozenset())
    for name, field in schema.get("properties", {}).items():
        variants = field.get("anyOf")
        if getattr(model, "refuses_nulls", False):
            if variants and {"type": "null"} in variants:
                rest = [variant for variant in variants if variant != {"type": "null"}]
                del field["anyOf"]
                if len(rest) == 1:
                    field.update(rest[0])
                else:
                    field["anyOf"] = rest
            if "default" in field and field["default"] is None:
                del field["default"]
        for text in [field, *field.get("anyOf", [])]:
            if text.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(text):
                text["pattern"] = rules.FREE_TEXT_PATTERN if name in free_text else rules.PLAIN_TEXT_PATTERN
    schema.update(getattr(model, "documented_rules", {}))
    by_type: ByType | None = getattr(model, "by_type", None)
    if by_type is not None:
        variants = by_type.variants(schema)
        title = schema.get("title")
        schema.clear()
        schema.update(title=title, oneOf=variants)


@dataclass(frozen=True)
class ByType:
    """A create body whose fields depend on the customer's type (``field``, ``default`` when absent):
    the fields only one type takes (``only``), those each type requires (``required``), and what a
    client is told of a field its type does not take (``not_taken``) or lacks (``missing``). The
    document writes it as one variant per type (``oneOf``); the dialect's conversion refuses by it
    (``problems``): one declaration for both."""

    field: str
    default: str
    only: Mapping[str, tuple[str, ...]]
    required: Mapping[str, tuple[str, ...]]
    not_taken: Mapping[str, str]
    missing: Mapping[str, str]

    def problems(self, body: BaseModel) -> list[FieldError]:
        kind = getattr(body, self.field) or self.default
        taken_elsewhere = {name for other, names in self.only.items() if other != kind for name in names}
        found = [
            FieldError(f"/{name}", self.not_taken[kind])
            for name in sorted(taken_elsewhere, key=list(type(body).model_fields).index)
            if getattr(body, name) is not None
        ]
        return found + [
            FieldError(f"/{name}", self.missing[kind])
            for name in self.required.get(kind, ())
            if getattr(body, name) is None
        ]

    def variants(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        """The body's schema, one variant per type: the other types' fields left out (the body is
        closed, so a client sending one is outside the document), the type's own required."""
        found = []
        for kind in self.only:
            variant = copy.deepcopy(schema)
            variant["title"] = f"{schema.get('title', '')}{kind.title()}"
            left_out = {name for other, names in self.only.items() if other != kind for name in names}
            properties = variant["properties"]
            for name in left_out:
                properties.pop(name, None)
            properties[self.field] = {"type": "string", "const": kind}
            required = [name for name in variant.get("required", []) if name not in left_out]
            required += [name for name in self.required.get(kind, ()) if name not in required]
            if kind != self.default:
                required.append(self.field)
            variant["required"] = required
            found.append(variant)
        return found


class StrictModel(BaseModel):
    """A request body: unknown fields are refused, never silently dropped, and so is text that no one
    can type or store: every string field passes ``rules.plain_text`` (``rules.free_text`` for the
    fields named in ``free_text_fields``), here, for every request model.

    ``refuses_nulls``: a body whose absent fields are left as they are (a PATCH, a PUT, and the create
    bodies that share their fields): ``null`` there is refused (422 at its pointer: omit the field), and
    the document marks no field of it nullable. Elsewhere (an address, replaced whole) ``null`` is the
    same as leaving the field out, and documented as allowed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_documented)
    free_text_fields: ClassVar[frozenset[str]] = frozenset()
    refuses_nulls: ClassVar[bool] = False
    documented_rules: ClassVar[dict[str, Any]] = {}  # JSON Schema keywords the document adds (see above)
    by_type: ClassVar[ByType | None] = None  # a create body's fields by the customer's type

    @field_validator("*", mode="wrap")
    @classmethod
    def _refuse_control_characters(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        if value is None and cls.refuses_nulls:
            raise ValueError(NOT_NULL)
        # The field's own checks first (their message is the more precise one), then the sent string's
        # characters: "Jane\n" is refused even though the name would be stored stripped.
        validated = handler(value)
        if isinstance(value, str):
            if info.field_name in cls.free_text_fields:
                rules.free_text(value)
            else:
                rules.plain_text(value)
        return validated


def iso_utc(moment: datetime) -> str:
    """``2026-03-09T20:46:31.305Z``: UTC, milliseconds, ``Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


WIRE_TIME_EXAMPLE = "2026-03-09T20:46:31.305Z"
# A time in a model: written by ``iso_utc`` (pydantic's own form drops or keeps microseconds as they
# come), documented as the string it is.
WireTime = Annotated[
    datetime,
    PlainSerializer(iso_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": [WIRE_TIME_EXAMPLE]}),
]


def wire_value(value: Any) -> Any:
    """A domain value as an answer writes it: a date as ``YYYY-MM-DD``, anything else as it is."""
    return value.isoformat() if isinstance(value, date) else value


def wire_time(value: Any) -> Any:
    """A time stored as ISO 8601 text (``2026-03-09T20:46:31.305123+00:00``, as the audit trail keeps
    it) in the wire's form; any other value as it is."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return iso_utc(moment) if moment.tzinfo is not None else value


class Problems:
    """Collects every field error of a request, so the client learns them all in one answer."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, pointer: str, detail: str) -> None:
        self.errors.append(FieldError(pointer, detail))

    def extend(self, errors: Iterable[FieldError]) -> None:
        self.errors.extend(errors)

    def check(self, pointer: str, validate: Callable[[str], str], value: str) -> str:
        """Run a rules.* validator; on ValueError record it at ``pointer`` and keep the raw value."""
        try:
            return validate(value)
        except ValueError as exc:
            self.add(pointer, str(exc))
            return value

    def raise_if_any(self) -> None:
        if self.errors:
            fail(self.errors)


def fail(errors: Iterable[FieldError]) -> NoReturn:
    raise ValidationFailed(errors=tuple(errors))
