"""How many connections a process accepts, against its open-file limit (kycrail/serving.py)."""

from __future__ import annotations

import logging
import resource

import pytest

from kycrail import serving


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """A fake RLIMIT_NOFILE, starting at (1024, 4096); the list holds what was set, last last."""
    current = [(1024, 4096)]
    monkeypatch.setattr(resource, "getrlimit", lambda _: current[-1])
    monkeypatch.setattr(resource, "setrlimit", lambda _, value: current.append(value))
    return current


def test_the_soft_limit_is_raised_to_fit_the_connections(limits: list[tuple[int, int]]) -> None:
    assert serving.connection_cap(2000, reserved=200) == 2000
    assert limits[-1] == (2200, 4096)


def test_past_the_hard_limit_fewer_connections_are_accepted_and_a_warning_says_so(
    limits: list[tuple[int, int]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kycrail.serving"):
        assert serving.connection_cap(10_000, reserved=200) == 4096 - 200
    assert limits[-1] == (4096, 4096)
    assert "KYCRAIL_MAX_CONNECTIONS=10000" in caplog.text
    assert "ulimit -n" in caplog.text


def test_a_limit_that_fits_is_left_alone(limits: list[tuple[int, int]]) -> None:
    assert serving.connection_cap(500, reserved=200) == 500
    assert limits == [(1024, 4096)]
