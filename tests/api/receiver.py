"""A real webhook receiver for the delivery tests: a stdlib HTTP server on 127.0.0.1 in a thread,
answering as told, keeping every request it got."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    url: str = ""
    fail_first: int = 0  # answers 500 to this many requests first
    status: int = 200  # then this
    hang_seconds: float = 0.0  # before answering anything: a receiver that is slow to answer
    hold: bool = False  # answers nothing until ``release()`` (or the receiver's end): one that hangs
    echo: bool = False  # answers with the body it got (as some receivers do), not "ok"
    requests: list[Received] = field(default_factory=list)  # answered
    arrived: int = 0  # requests whose body arrived, answered or not yet
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        """Lets a holding receiver answer what it holds, and what comes after at once."""
        self.released.set()

    @property
    def delivered(self) -> list[Received]:
        return [one for one in self.requests if 200 <= one.status < 300]


class QuietHandler(BaseHTTPRequestHandler):
    """A receiver's handler: answers a status with a tiny body (or the one given), and logs nothing."""

    def answer(self, status: int, body: bytes = b"ok") -> None:
        try:
            self.send_response(status)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting (or its test ended): nobody to answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def receiver(**behaviour: object) -> Iterator[Receiver]:
    state = Receiver(**behaviour)  # type: ignore[arg-type]
    lock = threading.Lock()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            with lock:
                state.arrived += 1
            if state.hold:
                state.released.wait()
            time.sleep(state.hang_seconds)  # the behaviour simulated: a receiver slow to answer
            with lock:
                status = 500 if len(state.requests) < state.fail_first else state.status
                state.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body, status))
            self.answer(status, body if state.echo else b"ok")

    with serving(Handler) as url:
        state.url = url
        try:
            yield state
        finally:
            state.release()  # nothing is left hanging in a handler's thread


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` on 127.0.0.1 (a free port) in a thread of its own; yields the URL to register."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    finally:
        server.shutdown()
        server.server_close()
