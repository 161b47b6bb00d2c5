"""A body written as one variant per customer type (``wire.ByType``) is a ``oneOf`` of named schemas in
the document: each variant its own component, named by its title (``CreateCustomerInIndividual``), so
that a generated client gets one type per variant rather than anonymous shapes it cannot name."""

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
