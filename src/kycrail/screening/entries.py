"""What a sanctions list says about one designated party, in one shape whatever the list: its names
(with how strong each is), dates of birth, countries and programmes. Pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    ofac_sdn = "ofac_sdn"  # OFAC's Specially Designated Nationals list
    ofac_consolidated = "ofac_consolidated"  # OFAC's Consolidated (non-SDN) list
    un = "un"  # the UN Security Council consolidated list
    eu = "eu"  # the EU Financial Sanctions File
    uk = "uk"  # the UK Sanctions List (FCDO), or OFSI's consolidated list


class PartyType(StrEnum):
    individual = "individual"
    entity = "entity"  # a company, organisation or group
    vessel = "vessel"
    aircraft = "aircraft"


class NameKind(StrEnum):
    primary = "primary"  # the name the party is listed under
    aka = "aka"  # also known as: a strong alias
    weak_aka = "weak_aka"  # a broad or generic alias: never a hit alone (OFAC FAQ 122-124)
    fka = "fka"  # formerly known as
    nka = "nka"  # now known as (OFAC)


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name as the list writes it (``full``: e.g. OFAC's "LAST, First Middle"), and its parts where
    the list gives them separately (UN, EU, UK): what matching reads."""

    full: str
    kind: NameKind
    first: str | None = None
    middle: str | None = None
    last: str | None = None


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth as listed: a full date (``month`` and ``day`` set), a year, or a span of years
    (``year`` to ``year_to``: "1951 to 1953", "circa" as the year alone)."""

    year: int
    month: int | None = None
    day: int | None = None
    year_to: int | None = None

    @property
    def exact(self) -> bool:
        return self.month is not None and self.day is not None


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One designated party: ``source`` and the list's own id (``source_id``: OFAC's ent_num, the UN's
    reference number, the EU's logical id, the UK's unique id) identify it across versions."""

    source: Source
    source_id: str
    party_type: PartyType
    names: tuple[ListedName, ...]
    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 where the list says (or maps to) one
    citizenships: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    address_countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    programmes: tuple[str, ...] = ()  # e.g. SDGT, IRAN, "CDi" (the UN's regime)
    remarks: str = ""

    @property
    def primary_name(self) -> ListedName:
        return next((name for name in self.names if name.kind is NameKind.primary), self.names[0])
