"""The screening tests run on the API tests' app (the sandbox, for a SumSub import) and keys."""

from tests.api.conftest import document_store, headers, reviewer_headers, settings

__all__ = ["document_store", "headers", "reviewer_headers", "settings"]
