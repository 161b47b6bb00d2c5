"""What the worker asks of a wire dialect: the messages one outbox event makes, their bodies, and the
signature headers of its own it sends beside Standard Webhooks' (webhooks/signing.py).

The dialects live in ``kycrail.api``, which this package may not import: ``app.py`` (or the
``kycrail worker`` command) hands the worker one ``Dialect`` per endpoint dialect.
"""

from __future__ import annotations

from typing import Protocol

from kycrail.outbox.service import OpenedEvent


class Dialect(Protocol):
    def messages(self, opened: OpenedEvent) -> list[tuple[str, str]]:
        """(message id suffix, event name) of each message the event makes; none for a deletion."""
        ...

    def payload(self, message_id: str, name: str, opened: OpenedEvent) -> bytes:
        """The exact JSON body of one message."""
        ...

    def signature_headers(self, secret: str, body: bytes) -> dict[str, str]:
        """The dialect's own signature headers for ``body`` (none for most)."""
        ...
