"""Request and response examples in the OpenAPI document: each operation's JSON body and the body of its
success answer, shown in /docs and /redoc.

The examples themselves live beside each dialect's routes (``api/<dialect>/examples.py``, and
``api/examples.py`` for the rest); ``tests/api/test_documented_examples.py`` checks that every
operation has its examples, that each fits its schema, and that the customer ones are what the app
answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JsonValue = Any


@dataclass(frozen=True, slots=True)
class Example:
    request: JsonValue = None  # the body sent (None: the operation takes none)
    response: JsonValue = None  # the success answer's body (None: it has none)


# (method, path as routed) -> its example.
Examples = Mapping[tuple[str, str], Example]


def declare_examples(openapi: dict[str, Any], *tables: Examples) -> dict[str, Any]:
    """Set each example on its operation, in place; an example for no operation is a KeyError."""
    for table in tables:
        for (method, path), example in table.items():
            operation = openapi["paths"][path][method.lower()]
            if example.request is not None:
                for media in operation["requestBody"]["content"].values():
                    media["example"] = example.request
            if example.response is not None:
                success = next(status for status in operation["responses"] if status.startswith("2"))
                operation["responses"][success]["content"]["application/json"]["example"] = example.response
    return openapi
