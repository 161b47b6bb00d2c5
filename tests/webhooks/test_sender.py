"""One delivery attempt against a real receiver on 127.0.0.1: the address checked is the address
connected to (no DNS rebinding between the two), the timeout bounds the whole attempt, and a URL
the policy refuses is not sent at all."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import aiohttp
import pytest
from yarl import URL

from kycrail.webhooks import sender
from kycrail.webhooks.urls import UrlPolicy
from tests.api.receiver import QuietHandler, Receiver, receiver, serving

PUBLIC = "93.184.215.14"  # a public address (no route to it from here, which is all the test needs)
BODY = b'{"id": "evt_1"}'


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with sender.new_client(UrlPolicy(allow_http=True, allow_private=True)) as made:
        yield made


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    with receiver() as made:
        yield made


class Resolver:
    """Stands in for DNS on the running loop (the only name lookups are the test's own names):
    ``answers`` are given in turn, the last one again once they run out; address literals resolve to
    themselves."""

    def __init__(self, name: str, *answers: str) -> None:
        self.name, self.answers, self.asked = name, list(answers), 0

    async def __call__(self, host: Any, port: Any, **_: Any) -> list[Any]:
        host = host.decode() if isinstance(host, bytes) else host
        if host == self.name:
            self.asked += 1
            address = self.answers[min(self.asked, len(self.answers)) - 1]
        else:
            address = host
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, int(port or 0)))]


def port_of(url: str) -> int:
    port = URL(url).port
    assert port is not None
    return port


async def test_a_name_is_sent_to_the_address_it_resolved_to_with_its_host_header(
    hooks: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver("hooks.receiver.test", "127.0.0.1")
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    url = f"http://hooks.receiver.test:{port_of(hooks.url)}/hooks"
    policy = UrlPolicy(allow_http=True, allow_private=True)
    async with sender.new_client(policy) as client:
        attempt = await sender.send(client, url, policy, {}, BODY, 5.0)
    assert (attempt.status_code, attempt.error) == (200, None)
    assert [(one.headers["host"], one.body) for one in hooks.requests] == [
        (f"hooks.receiver.test:{port_of(hooks.url)}", BODY)
    ]


async def test_a_name_that_resolves_elsewhere_after_the_check_is_not_followed_there(
    hooks: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: public when asked first, loopback afterwards. The connection goes where the
    check looked (an unreachable public address here), never to the loopback receiver."""
    resolver = Resolver("rebind.receiver.test", PUBLIC, "127.0.0.1")
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    url = f"http://rebind.receiver.test:{port_of(hooks.url)}/hooks"
    policy = UrlPolicy(allow_http=True)
    async with sender.new_client(policy) as client:
        attempt = await sender.send(client, url, policy, {}, BODY, 1.0)
    assert hooks.requests == []
    assert attempt.status_code is None
    assert resolver.asked == 1


async def test_a_name_resolving_to_a_private_address_at_send_time_is_not_sent(
    hooks: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The endpoint's host resolved to a public address when it was registered; now it is loopback."""
    monkeypatch.setattr(
        asyncio.get_running_loop(), "getaddrinfo", Resolver("moved.receiver.test", "127.0.0.1")
    )
    url = f"http://moved.receiver.test:{port_of(hooks.url)}/hooks"
    policy = UrlPolicy(allow_http=True)
    async with sender.new_client(policy) as client:
        attempt = await sender.send(client, url, policy, {}, BODY, 5.0)
    assert hooks.requests == []
    assert attempt.status_code is None
    assert attempt.error is not None
    assert "private" in attempt.error


async def test_a_url_the_policy_refuses_now_is_not_sent(
    client: aiohttp.ClientSession, hooks: Receiver
) -> None:
    """Registered while plain http was allowed; the worker's policy no longer allows it."""
    attempt = await sender.send(client, hooks.url, UrlPolicy(), {}, BODY, 5.0)
    assert hooks.requests == []
    refused = "not sent, the URL was refused: must be an https:// URL"
    assert (attempt.status_code, attempt.error) == (None, refused)


class Trickle(QuietHandler):
    """Answers 200 at once, then its body one byte every 0.1 s for 4 s: every read is quick, the
    whole answer is not."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(200)
        self.send_header("content-length", "40")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)  # the behaviour simulated: a receiver trickling its answer
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up (what the test wants)


async def test_the_timeout_bounds_the_whole_attempt_not_each_read(client: aiohttp.ClientSession) -> None:
    policy = UrlPolicy(allow_http=True, allow_private=True)
    with serving(Trickle) as url:
        started = time.monotonic()
        attempt = await sender.send(client, url, policy, {}, BODY, 0.5)
        took = time.monotonic() - started
    assert took < 2.5  # not the 4 s the whole answer takes
    assert (attempt.status_code, attempt.error) == (None, "no answer within 0.5 s")


class Malformed(BaseHTTPRequestHandler):
    """Answers with what is not HTTP, quoting the body it got (a broken receiver's echo): the parser's
    error message quotes it in turn."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.wfile.write(b"HTTP/1.1 2x0 " + body + b"\r\ncontent-length: 0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:
        pass


class BadHeader(Malformed):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.wfile.write(b"HTTP/1.1 200 OK\r\n" + body + b"\r\ncontent-length: 0\r\n\r\n")


@pytest.mark.parametrize("handler", [Malformed, BadHeader])
async def test_an_answer_that_is_not_http_is_logged_by_its_kind_never_by_what_it_quoted(
    client: aiohttp.ClientSession, handler: type[BaseHTTPRequestHandler]
) -> None:
    """The error is kept in plaintext beside the sealed answer: it holds kycrail's words only."""
    policy = UrlPolicy(allow_http=True, allow_private=True)
    body = b'{"firstName": "Quillon Marrowby"}'
    with serving(handler) as url:
        attempt = await sender.send(client, url, policy, {}, body, 5.0)
    assert attempt.status_code is None
    assert attempt.error == "the answer is not valid HTTP (ClientResponseError)"
    assert attempt.response_excerpt == ""


async def test_a_refused_connection_is_logged_by_its_kind(client: aiohttp.ClientSession) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    policy = UrlPolicy(allow_http=True, allow_private=True)
    attempt = await sender.send(client, f"http://127.0.0.1:{port}/hooks", policy, {}, BODY, 5.0)
    assert (attempt.status_code, attempt.error) == (None, "ClientConnectorError (ECONNREFUSED)")
