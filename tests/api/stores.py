"""The document tests run on both stores: the database, and an S3 bucket of their own on a real S3
server (tests/s3.py). A module asks for both with ``from tests.api.stores import document_store``."""

from __future__ import annotations

import pytest

from tests import s3


@pytest.fixture(params=["database", "s3"])
def document_store(request: pytest.FixtureRequest) -> dict[str, object]:
    return {} if request.param == "database" else s3.settings_of(s3.new_bucket())
