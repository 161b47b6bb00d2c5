"""Sanctions lists loaded for a test: entries built in code, loaded through ``lists.update_all`` (the
parsers have their own tests), as `kycrail lists update` would load them."""

from __future__ import annotations

from pathlib import Path

from kycrail.screening import lists
from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.lists import Outcome
from kycrail.storage import Storage


def person(source_id: str, full: str, born: tuple[int, int, int] | None = None, **kw: object) -> ListEntry:
    """An individual on OFAC's SDN list, named as OFAC writes it ("LAST, First Middle")."""
    birth = (BirthDate(born[0], born[1], born[2]),) if born else ()
    return ListEntry(
        source=Source.ofac_sdn,
        source_id=source_id,
        party_type=PartyType.individual,
        names=(ListedName(full, NameKind.primary),),
        birth_dates=birth,
        programmes=("SDGT",),
        **kw,  # type: ignore[arg-type]
    )


# Emily Rose Carter, born 1990-04-12: the sandbox emulator's `approved` donor, put on a list.
EMILY_LISTED = person("90001", "CARTER, Emily Rose", (1990, 4, 12))
SOMEONE_ELSE = person("90002", "VOLKOV, Dmitri Alexandrovich", (1961, 2, 3))


def only_sdn(entries: list[ListEntry]) -> lists.Reader:
    """A stand-in for the parsers: the SDN list is ``entries``, every other list's files are absent."""

    def read(source: Source, directory: Path) -> list[ListEntry] | None:
        return entries if source is Source.ofac_sdn else None

    return read


async def load(storage: Storage, *entries: ListEntry) -> None:
    """The SDN list is exactly ``entries`` from now on (a new version, as an update makes), and the
    app's screener sees it at once (it would within a second)."""
    engine = storage.engine
    updates = await lists.update_all(engine, Path("."), only_sdn(list(entries)))
    assert {u.outcome for u in updates} <= {Outcome.loaded, Outcome.absent, Outcome.unchanged}, updates
    await storage.screener.refresh(engine, force=True)
