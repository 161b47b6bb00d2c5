"""Operators: the people of a tenant's compliance desk, who sign in to the console (``kycrail.console``)
with a password and a second factor, and whose decisions the audit trail names."""
