"""The official sanctions list files, read into ``ListEntry`` values: one module per list format, and
here what each source reads and where it is published.

Each source reads a set of files with their official names from one directory (an administrator's
``--from DIR``, or where a fetcher saved them):

- OFAC SDN (``Source.ofac_sdn``): ``sdn.csv``, ``add.csv``, ``alt.csv``, and ``sdn_comments.csv``
  when present.
- OFAC Consolidated (``Source.ofac_consolidated``): ``cons_prim.csv``, ``cons_add.csv``,
  ``cons_alt.csv``, and ``cons_comments.csv`` when present.
- UN (``Source.un``): ``consolidated.xml``.
- EU (``Source.eu``): ``xmlFullSanctionsList_1_1.xml``, else ``csvFullSanctionsList_1_1.csv``: the
  names of the FSF's "full list" files, version 1.1 (the EU serves them under those names in their
  URLs). The XML is preferred: only it says which aliases are weak.
- UK (``Source.uk``): ``UK-Sanctions-List.csv`` (the FCDO's list), else OFSI's retired ``ConList.csv``.

``read_source`` gives None when none of a source's files is in the directory (the caller keeps the
version it has), and raises ``ListFileInvalid`` when they are there but broken, or incomplete (one of
a set missing). ``OFFICIAL_URLS`` is where each file is published, for a fetcher; nothing here
fetches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kycrail.screening.entries import ListEntry, Source
from kycrail.screening.sources.errors import ListFileInvalid
from kycrail.screening.sources.eu import EU_CSV_FILE, EU_XML_FILE, parse_eu_csv, parse_eu_xml
from kycrail.screening.sources.ofac import CONSOLIDATED_FILES, SDN_FILES, OfacFiles, parse_ofac
from kycrail.screening.sources.uk import FCDO_FILE, OFSI_FILE, parse_fcdo, parse_ofsi
from kycrail.screening.sources.un import UN_FILE, parse_un

__all__ = ["OFFICIAL_URLS", "SOURCE_FILES", "FileSet", "ListFileInvalid", "read_source"]


@dataclass(frozen=True, slots=True)
class FileSet:
    """Files one parser reads together: all of ``required``, and those of ``optional`` present."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    read: Callable[[Mapping[str, Path]], list[ListEntry]]

    @property
    def names(self) -> tuple[str, ...]:
        return self.required + self.optional


def _ofac(source: Source, files: OfacFiles) -> FileSet:
    def read(paths: Mapping[str, Path]) -> list[ListEntry]:
        comments = paths.get(files.comments)
        return parse_ofac(
            source, paths[files.primary], paths[files.addresses], paths[files.aliases], comments
        )

    return FileSet((files.primary, files.addresses, files.aliases), (files.comments,), read)


def _single(name: str, parse: Callable[[Path], list[ListEntry]]) -> FileSet:
    return FileSet((name,), (), lambda paths: parse(paths[name]))


# For each source, its sets of files in the order preferred: the first set found is read.
SOURCE_FILES: Mapping[Source, tuple[FileSet, ...]] = MappingProxyType(
    {
        Source.ofac_sdn: (_ofac(Source.ofac_sdn, SDN_FILES),),
        Source.ofac_consolidated: (_ofac(Source.ofac_consolidated, CONSOLIDATED_FILES),),
        Source.un: (_single(UN_FILE, parse_un),),
        Source.eu: (_single(EU_XML_FILE, parse_eu_xml), _single(EU_CSV_FILE, parse_eu_csv)),
        Source.uk: (_single(FCDO_FILE, parse_fcdo), _single(OFSI_FILE, parse_ofsi)),
    }
)

_OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
_EU_FILES = "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
# Not a secret: the fixed, public token in the links the EU publishes ("token-2017", base64).
_EU_TOKEN = "content?token=dG9rZW4tMjAxNw"  # noqa: S105

# Where each file is published. OFSI's ConList.csv is retired (28 January 2026): its address is kept
# for reading an old copy's provenance, and may no longer answer.
OFFICIAL_URLS: Mapping[str, str] = MappingProxyType(
    {
        **{name: _OFAC_EXPORTS + name for files in (SDN_FILES, CONSOLIDATED_FILES) for name in files.names},
        UN_FILE: "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        EU_XML_FILE: f"{_EU_FILES}xmlFullSanctionsList_1_1/{_EU_TOKEN}",
        EU_CSV_FILE: f"{_EU_FILES}csvFullSanctionsList_1_1/{_EU_TOKEN}",
        FCDO_FILE: "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
        OFSI_FILE: "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
    }
)


def read_source(source: Source, directory: Path) -> list[ListEntry] | None:
    """The entries of ``source`` from its official files in ``directory``: None when none of them is
    there; ``ListFileInvalid`` when they are there but broken, or a set is incomplete."""
    for file_set in SOURCE_FILES[source]:
        present = {name: directory / name for name in file_set.names if (directory / name).exists()}
        if not present:
            continue
        missing = [name for name in file_set.required if name not in present]
        if missing:
            beside = ", ".join(sorted(present))
            raise ListFileInvalid(missing[0], 0, f"missing: it is read with {beside}, which are there")
        return file_set.read(present)
    return None
