"""Outgoing webhooks: the endpoints a tenant registers in either dialect, and (to come) their
deliveries from the outbox (issue 13)."""
