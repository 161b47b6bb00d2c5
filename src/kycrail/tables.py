"""Imports every module that defines tables, so ``db.metadata`` knows them all."""


def load_all_tables() -> None:
    pass
