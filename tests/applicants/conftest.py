"""The applicants' tests run on the API tests' app (the sandbox: SumSub is the emulator) and keys."""

from tests.api.conftest import admin_headers, create_customer, headers, other_headers, reviewer_headers

__all__ = ["admin_headers", "create_customer", "headers", "other_headers", "reviewer_headers"]
