"""Imports every module that defines tables, so ``db.metadata`` knows them all."""


def load_all_tables() -> None:
    import kycrail.applicants.tables
    import kycrail.customers.tables
    import kycrail.documents.tables
    import kycrail.idempotency.tables
    import kycrail.operators.tables
    import kycrail.outbox.tables
    import kycrail.reviews.tables
    import kycrail.screening.tables
    import kycrail.share_tokens.tables
    import kycrail.tenants.tables
    import kycrail.vault.tables
    import kycrail.webhooks.tables  # noqa: F401
