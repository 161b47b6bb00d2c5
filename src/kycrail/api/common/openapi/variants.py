"""Two passes over the built document's schemas: a body written as one variant per customer type
(``wire.ByType``) is a ``oneOf`` of named schemas, each variant its own component named by its title
(``CreateCustomerInIndividual``), so that a generated client gets one type per variant rather than
anonymous shapes it cannot name; and ``dependentRequired`` lists are sorted (FastAPI's document model
holds them as sets: their order would change from one process to the next)."""

from __future__ import annotations

from typing import Any


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


def sort_dependencies(openapi: dict[str, Any]) -> dict[str, Any]:
    """Sort every ``dependentRequired`` list, in place, wherever it is in the schemas."""

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for names in node.get("dependentRequired", {}).values():
                names.sort()
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(openapi.get("components", {}))
    return openapi
