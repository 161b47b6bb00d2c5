"""A sandbox of the SumSub endpoints kycrail uses, as one small ASGI app.

Faithful where kycrail depends on it (docs/sumsub.md): real signature checks, single-use share
tokens with TTLs, SumSub's error shapes and codes, seeded donor applicants. All state lives in memory in
the ``Emulator`` instance. Tests and ``kycrail serve --sandbox`` reach it through
``httpx.ASGITransport(app=emulator)``; ``kycrail sandbox sumsub`` serves it alone over HTTP.

Modules: ``app`` (the Emulator: state, screening, share-token imports), ``routes`` (the endpoints),
``signatures`` (authentication), ``tokens`` (share tokens), ``applicants`` (lookups, verdicts, copies),
``knobs`` (failure injection), ``donors`` (seed data), ``errors`` (SumSub's error shape), ``wire``.
"""

from kycrail.sumsub.emulator.app import Emulator

__all__ = ["Emulator"]
