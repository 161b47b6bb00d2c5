"""`kycrail lists update`'s service: a new version per list, switched in one transaction, the last
three kept, an unchanged list writing nothing, a refused or absent list keeping the version in use
(kycrail/screening/lists.py). The lists' files are read by a stand-in here: the parsers have their own
tests (tests/screening/sources/)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.screening import lists
from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.lists import Outcome
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.tables import sanctions_entries, sanctions_versions

HERE = Path(".")


def entry(source_id: str, name: str, year: int = 1960) -> ListEntry:
    return ListEntry(
        source=Source.ofac_sdn,
        source_id=source_id,
        party_type=PartyType.individual,
        names=(ListedName(name, NameKind.primary),),
        birth_dates=(BirthDate(year),),
        programmes=("SDGT",),
    )


def reading(sdn: list[ListEntry] | Exception | None) -> lists.Reader:
    """A stand-in for the parsers: the SDN list as given, every other list's files absent."""

    def read(source: Source, directory: Path) -> list[ListEntry] | None:
        if source is not Source.ofac_sdn:
            return None
        if isinstance(sdn, Exception):
            raise sdn
        return sdn

    return read


async def versions(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(
            (await connection.execute(select(func.count()).select_from(sanctions_versions))).scalar_one()
        )


async def test_a_list_loads_as_a_version_in_use_and_others_stay_absent(engine: AsyncEngine) -> None:
    updates = await lists.update_all(
        engine, HERE, reading([entry("1", "DOE, John"), entry("2", "ROE, Jane")])
    )
    by_source = {update.source: update for update in updates}
    loaded = by_source[Source.ofac_sdn]
    assert (loaded.outcome, loaded.entries, loaded.added, loaded.changed) == (Outcome.loaded, 2, 2, 0)
    assert loaded.changed_ids == {"1", "2"}
    assert {update.outcome for source, update in by_source.items() if source is not Source.ofac_sdn} == {
        Outcome.absent
    }
    in_use, entries = await lists.entries_in_use(engine)
    assert in_use == {"ofac_sdn": loaded.version_id}
    assert sorted(e.source_id for e in entries) == ["1", "2"]
    assert entries[0].names[0].kind is NameKind.primary


async def test_the_same_list_again_writes_nothing(engine: AsyncEngine) -> None:
    sdn = [entry("1", "DOE, John"), entry("2", "ROE, Jane")]
    await lists.update_all(engine, HERE, reading(sdn))
    again = await lists.update_source(engine, Source.ofac_sdn, HERE, reading(list(reversed(sdn))))
    assert again.outcome is Outcome.unchanged
    assert await versions(engine) == 1


async def test_a_new_version_says_what_was_added_changed_and_removed(engine: AsyncEngine) -> None:
    await lists.update_all(engine, HERE, reading([entry("1", "DOE, John"), entry("2", "ROE, Jane")]))
    second = [
        entry("1", "DOE, John"),
        replace(entry("2", "ROE, Jane"), birth_dates=(BirthDate(1961),)),
        entry("3", "POE, Al"),
    ]
    update = await lists.update_source(engine, Source.ofac_sdn, HERE, reading(second))
    assert (update.added, update.changed, update.removed) == (1, 1, 0)
    assert update.changed_ids == {"2", "3"}
    third = await lists.update_source(engine, Source.ofac_sdn, HERE, reading(second[:2]))
    assert (third.added, third.changed, third.removed) == (0, 0, 1)


async def test_a_refused_list_keeps_the_version_in_use(engine: AsyncEngine) -> None:
    first = await lists.update_source(engine, Source.ofac_sdn, HERE, reading([entry("1", "DOE, John")]))
    broken = ListFileInvalid("sdn.csv", 7, "11 fields, not 12")
    refused = await lists.update_source(engine, Source.ofac_sdn, HERE, reading(broken))
    assert refused.outcome is Outcome.refused
    assert refused.error == str(broken)
    assert "sdn.csv" in str(broken)
    twice = await lists.update_source(
        engine, Source.ofac_sdn, HERE, reading([entry("1", "A"), entry("1", "B")])
    )
    assert twice.outcome is Outcome.refused
    in_use, entries = await lists.entries_in_use(engine)
    assert in_use == {"ofac_sdn": first.version_id}
    assert [e.names[0].full for e in entries] == ["DOE, John"]


async def test_the_last_three_versions_are_kept(engine: AsyncEngine) -> None:
    ids = []
    for year in range(1960, 1965):
        update = await lists.update_source(
            engine, Source.ofac_sdn, HERE, reading([entry("1", "DOE, John", year)])
        )
        ids.append(update.version_id)
    async with engine.connect() as connection:
        kept = sorted((await connection.execute(select(sanctions_versions.c.id))).scalars())
        entry_versions = sorted(
            set((await connection.execute(select(sanctions_entries.c.version_id))).scalars())
        )
    assert kept == ids[-3:]
    assert entry_versions == ids[-3:]
    in_use, _ = await lists.entries_in_use(engine)
    assert in_use == {"ofac_sdn": ids[-1]}
