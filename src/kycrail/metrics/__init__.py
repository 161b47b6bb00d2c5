"""Prometheus metrics (``GET /metrics``, issue 24): what each process counts, and what the database says.

- ``families``: every metric a process keeps, on a registry of the process's own, and how a process
  of ``kycrail serve`` switches to files shared with the others (prometheus-client's multiprocess mode).
- ``multiprocess``: that mode's directory, made by ``serve``'s main process for its workers, and the
  requests each process counted, read from its own file at scrape time.
- ``requests``: the request stage (counts and latency by route template, method, status, dialect).
- ``pool``: the database connections each process lends (in use, waiting, the waits).
- ``providers``: the calls to KYC providers and their outcomes.
- ``database``: what is read from the database at scrape time (the webhook outbox and deliveries, the
  endpoints' health, the reconciliation backlog), right with any number of processes.
- ``endpoint``: ``GET /metrics`` itself, behind its own bearer token (never an API key).

The package knows no wire dialect: the API imports it, never the other way round (``.importlinter``).
"""
