"""Passes over the built document's schemas, so that a generated client names what it should:

- a body written as one variant per customer type (``wire.ByType``) is a ``oneOf`` of named schemas,
  each variant its own component named by its title (``CreateCustomerInIndividual``), rather than
  anonymous shapes a client cannot name;
- a list of codes many fields take (the countries, the US states) is one named component each field
  refers to (``CountryCode``), rather than the same 249 codes written into every field (and a client
  type for each);
- ``dependentRequired`` lists are sorted (FastAPI's document model holds them as sets: their order
  would change from one process to the next)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kycrail.customers import rules

# The lists of codes named once in the document, by the name they are given there.
_CODE_LISTS = {"CountryCode": rules.ALPHA3_CODES, "UsStateCode": rules.US_STATE_CODES}


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object inside ``node``, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def name_variants(openapi: dict[str, Any]) -> dict[str, Any]:
    """Move each component's inline ``oneOf`` variants to components of their own, in place (the
    cached document: a second pass finds references only and changes nothing)."""
    schemas = openapi.get("components", {}).get("schemas", {})
    for schema in list(schemas.values()):
        variants = schema.get("oneOf", [])
        for index, variant in enumerate(variants):
            if "$ref" in variant or "title" not in variant:
                continue
            schemas[variant["title"]] = variant
            variants[index] = {"$ref": f"#/components/schemas/{variant['title']}"}
    return openapi


def name_code_lists(openapi: dict[str, Any]) -> dict[str, Any]:
    """Give each of ``_CODE_LISTS`` a component, and have every schema listing it refer to it instead,
    in place (a second pass finds references only). A field keeps its own title, description and
    examples beside the reference."""
    schemas = openapi.get("components", {}).setdefault("schemas", {})
    fields = [schema for name, schema in schemas.items() if name not in _CODE_LISTS]
    for node in list(_nodes(fields)):
        for name, codes in _CODE_LISTS.items():
            if node.get("enum") == codes:
                del node["enum"]
                node.pop("type", None)
                node["$ref"] = f"#/components/schemas/{name}"
    for name, codes in _CODE_LISTS.items():
        schemas.setdefault(name, {"title": name, "type": "string", "enum": codes})
    return openapi


def sort_dependencies(openapi: dict[str, Any]) -> dict[str, Any]:
    """Sort every ``dependentRequired`` list, in place, wherever it is in the schemas."""
    for node in _nodes(openapi.get("components", {})):
        for names in node.get("dependentRequired", {}).values():
            names.sort()
    return openapi
