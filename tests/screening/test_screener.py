"""This process's view of the lists in use (kycrail/screening/screener.py): a customer screened at the
configured threshold, a new version seen once looked up, and the setting reaching the app."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI

from kycrail.config import SettingsError, load_settings
from kycrail.customers.model import Customer, CustomerType, Identity
from kycrail.screening import screener as screener_module
from kycrail.screening.screener import Screener
from kycrail.storage import Storage
from tests.screening.listed import EMILY_LISTED, SOMEONE_ELSE, load

T0 = datetime(2026, 12, 7, tzinfo=UTC)


def emily(last_name: str = "Carter") -> Customer:
    identity = Identity(
        first_name="Emily", middle_name="Rose", last_name=last_name, date_of_birth=date(1990, 4, 12)
    )
    return Customer(
        id="customer_" + "1" * 32,
        tenant_id="tenant_1",
        type=CustomerType.individual,
        created_at=T0,
        updated_at=T0,
        identity=identity,
    )


async def test_the_threshold_decides_what_is_a_hit(storage: Storage) -> None:
    await load(storage, EMILY_LISTED, SOMEONE_ELSE)
    lenient, strict = Screener(0.85), Screener(0.999)
    for screener in (lenient, strict):
        await screener.refresh(storage.engine)
    typo = replace(emily("Cartr"), identity=replace(emily("Cartr").identity, date_of_birth=None))
    # One letter off, and no date of birth to raise it: a strong match, not a perfect one.
    [finding] = lenient.screen(typo)
    assert (finding.entry, finding.hit.score < 0.999) == (("ofac_sdn", "90001"), True)
    assert strict.screen(typo) == []
    assert [f.entry for f in strict.screen(emily())] == [("ofac_sdn", "90001")]
    assert lenient.screen(replace(typo, identity=Identity(first_name="Alice", last_name="Walker"))) == []


async def test_a_new_version_is_seen_once_looked_up(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    screener = Screener()
    await screener.refresh(storage.engine)
    assert screener.screen(emily()) == []  # nothing loaded
    await load(storage, EMILY_LISTED)
    await screener.refresh(storage.engine)
    assert screener.screen(emily()) == []  # looked up less than a second ago: not again yet
    monkeypatch.setattr(screener_module, "CHECK_SECONDS", 0.0)
    await screener.refresh(storage.engine)
    assert [f.entry for f in screener.screen(emily())] == [("ofac_sdn", "90001")]
    assert set(screener.versions) == {"ofac_sdn"}


def test_the_setting_reaches_the_app(app: FastAPI) -> None:
    assert app.state.resources.storage.screener.threshold == 0.85
    with pytest.raises(SettingsError, match="KYCRAIL_SCREENING_THRESHOLD"):
        load_settings(screening_threshold=0.2)
