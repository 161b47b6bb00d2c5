"""A sandbox of the SumSub endpoints kycrail uses, as one small ASGI app.

Faithful where kycrail depends on it (docs/sumsub.md): real signature checks, single-use share
tokens with TTLs, SumSub's error shapes and codes, seeded donor applicants. All state lives in memory in
the ``Emulator`` instance. Tests and ``kycrail serve --sandbox`` reach it through
``httpx.ASGITransport(app=emulator)``; ``kycrail sandbox sumsub`` serves it alone over HTTP.

Modules: ``app`` (the Emulator: state, screening, what the endpoints do), ``routes`` (the endpoints),
``signatures`` (authentication), ``tokens`` (share tokens), ``applicants`` (creation, lookups, reviews,
copies), ``levels`` (verification levels), ``documents`` (ID documents and steps), ``websdk`` (access
tokens and WebSDK links), ``webhooks`` (webhooks out), ``fields`` (checking request fields), ``forms``
(multipart bodies), ``knobs`` (failure injection), ``donors`` (seed data), ``errors`` (SumSub's error
shape), ``wire``.
"""

from kycrail.sumsub.emulator.app import Emulator
from kycrail.sumsub.emulator.webhooks import WebhookConfig

__all__ = ["Emulator", "WebhookConfig"]
