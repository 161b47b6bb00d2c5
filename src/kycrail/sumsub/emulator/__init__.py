"""A sandbox of SumSub's API, as one small ASGI app, complete enough for SumSub's own clients.

Faithful where kycrail and SumSub's clients depend on it (docs/sumsub.md): real signature checks,
applicants created, documented, submitted, reviewed and reset, single-use share tokens with TTLs,
webhooks out, SumSub's error shapes and codes, seeded donor applicants, and a WebSDK page of its own.
All state lives in memory in the ``Emulator`` instance. Tests and ``kycrail serve --sandbox`` reach it
through ``httpx.ASGITransport(app=emulator)``; ``kycrail sandbox sumsub`` serves it alone over HTTP.

Modules: ``app`` (the Emulator: state, screening, what the endpoints do), ``routes`` (the endpoints),
``signatures`` (authentication), ``tokens`` (share tokens), ``applicants`` (creation, lookups, reviews,
copies), ``levels`` (verification levels), ``documents`` (ID documents and steps), ``websdk`` (access
tokens and WebSDK links), ``page``, ``page_html`` and ``sample`` (the WebSDK page), ``webhooks``
(webhooks out), ``fields`` (checking request fields), ``forms`` (multipart bodies), ``knobs`` (failure
injection), ``donors`` (seed data), ``errors`` (SumSub's error shape), ``wire``.
"""

from kycrail.sumsub.emulator.app import Emulator
from kycrail.sumsub.emulator.webhooks import WebhookConfig

__all__ = ["Emulator", "WebhookConfig"]
