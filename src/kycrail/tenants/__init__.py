"""Tenants (the platforms or merchants that own customers) and their API keys."""
