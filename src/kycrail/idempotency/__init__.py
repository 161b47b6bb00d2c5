"""Idempotency keys: the first completed response to a write is kept and replayed for its retries."""
