"""Fixtures of the fuzz tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis.core.storage
from hypothesis.configuration import set_hypothesis_home_dir


@pytest.fixture
def fuzz_storage(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where schemathesis and Hypothesis may write during a fuzz run: a temporary directory, never the
    work tree (schemathesis's default root is ``./.schemathesis``, Hypothesis's ``./.hypothesis``)."""
    storage = tmp_path_factory.mktemp("fuzz-storage")
    monkeypatch.setattr(schemathesis.core.storage, "DEFAULT_ROOT", storage / ".schemathesis")
    set_hypothesis_home_dir(storage / ".hypothesis")
    try:
        yield storage
    finally:
        set_hypothesis_home_dir(None)  # back to Hypothesis's own default for the tests that follow
