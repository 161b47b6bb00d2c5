"""Where customers live: the database, and the vault their personal data is sealed with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.vault.vault import Vault


@dataclass(frozen=True, slots=True)
class Storage:
    engine: AsyncEngine
    vault: Vault
