"""The clients' document (clients/openapi.json) is the one the app serves: a change to the document
without `make clients` fails here, in the fast tests, before CI's generators run (`make clients-check`
then checks the generated code itself)."""

from __future__ import annotations

import importlib.util

from tests.clients.conftest import CLIENTS


def test_the_clients_are_generated_from_the_document_the_app_serves() -> None:
    spec = importlib.util.spec_from_file_location("generate", CLIENTS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    assert (CLIENTS / "openapi.json").read_text() == generate.document(), "run `make clients`"
