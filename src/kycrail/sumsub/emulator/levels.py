"""Verification levels: what a new applicant is asked for (its ``requiredIdDocs``), and the answer of
``GET /resources/applicants/-/levels``.

Two levels, as a SumSub sandbox project starts with: one for individuals (KYC) and one for companies
(KYB). Their names default to SumSub's default level names; ``kycrail serve --sandbox`` names the KYC
level after ``KYCRAIL_SUMSUB_LEVEL_NAME`` so that the level kycrail asks for exists. A third, for
individuals who also prove their address (``ADDRESS_KYC_LEVEL``), is where ``moveToLevel`` can move one.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.wire import JsonObject

DEFAULT_KYC_LEVEL = "basic-kyc-level"
DEFAULT_KYB_LEVEL = "basic-kyb-level"
ADDRESS_KYC_LEVEL = "address-kyc-level"
_CREATED_AT = "2025-01-01 00:00:00"


@dataclass(frozen=True)
class Level:
    name: str
    applicant_type: str  # individual | company
    doc_sets: tuple[tuple[str, tuple[str, ...]], ...]  # (idDocSetType, its document types)

    @property
    def required_id_docs(self) -> JsonObject:
        return {
            "docSets": [{"idDocSetType": set_type, "types": list(types)} for set_type, types in self.doc_sets]
        }

    def as_item(self, client_id: str) -> JsonObject:
        """This level as an item of the levels answer."""
        return {
            "id": hashlib.sha256(f"kycrail-sandbox:level:{self.name}".encode()).hexdigest()[:24],
            "clientId": client_id,
            "name": self.name,
            "requiredIdDocs": self.required_id_docs,
            "createdAt": _CREATED_AT,
            "createdBy": "Service",
            "modifiedAt": _CREATED_AT,
            "type": "regular",
            "applicantType": self.applicant_type,
        }


def kyc_level(name: str) -> Level:
    return Level(
        name,
        "individual",
        (("IDENTITY", ("PASSPORT", "ID_CARD", "DRIVERS", "RESIDENCE_PERMIT")), ("SELFIE", ("SELFIE",))),
    )


def address_kyc_level(name: str) -> Level:
    """The KYC level's documents and a proof of residence."""
    return Level(name, "individual", (*kyc_level(name).doc_sets, ("PROOF_OF_RESIDENCE", ("UTILITY_BILL",))))


def kyb_level(name: str) -> Level:
    return Level(name, "company", (("COMPANY", ("COMPANY_DOC",)),))


class Levels:
    def __init__(self, kyc: str = DEFAULT_KYC_LEVEL, kyb: str = DEFAULT_KYB_LEVEL) -> None:
        if len({kyc, kyb, ADDRESS_KYC_LEVEL}) < 3:
            raise ValueError(
                f"the KYC and the KYB level need different names, other than {ADDRESS_KYC_LEVEL}"
            )
        levels = (kyc_level(kyc), kyb_level(kyb), address_kyc_level(ADDRESS_KYC_LEVEL))
        self._levels = {level.name: level for level in levels}

    def named(self, name: str | None) -> Level:
        if not name:
            raise Failure(400, "levelName is required")
        level = self._levels.get(name)
        if level is None:
            # Unconfirmed: SumSub's exact status for an unknown level; a 404 reads as "fix the name".
            raise Failure(404, f"Level '{name}' not found")
        return level

    def answer(self, client_id: str) -> JsonObject:
        """``GET /resources/applicants/-/levels``. The reference documents ``items``/``totalItems``;
        SumSub's typed SDKs and integrators read them under ``list``, as SumSub's list answers are."""
        items = [level.as_item(client_id) for level in self._levels.values()]
        return copy.deepcopy({"list": {"items": items, "totalItems": len(items)}})
