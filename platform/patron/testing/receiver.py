"""A real HTTP receiver on loopback, for tests of webhooks and other outgoing requests.

``with http_receiver() as receiver:`` serves on ``127.0.0.1`` (a free port) on a thread;
``receiver.url("/hook")`` is where to send, ``receiver.received`` what arrived, and
``receiver.fail(times, status)`` scripts failures. Put ``127.0.0.0/8`` in
``PATRON_WEBHOOK_ALLOWED_NETWORKS`` so webhooks may point at it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, HTTPServer


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: Message
    body: bytes


class ReceiverHandler(BaseHTTPRequestHandler):
    """Records every request; answers with the next scripted status, else 204."""

    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(Received(self.path, self.headers, body))
        status = self.server.answers.pop(0) if self.server.answers else 204
        self.send_response(status)
        if status in (301, 302, 303, 307, 308):
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


class Receiver(HTTPServer):
    """A receiver on 127.0.0.1 that can be told how to answer."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.received: list[Received] = []
        self.answers: list[int] = []

    def url(self, path: str = "/hook") -> str:
        """The receiver's address for ``path``."""
        return f"http://127.0.0.1:{self.server_port}{path}"

    def fail(self, times: int, status: int = 500) -> None:
        """Answer the next ``times`` requests with ``status``."""
        self.answers.extend([status] * times)


@contextmanager
def http_receiver() -> Iterator[Receiver]:
    """A :class:`Receiver` serving for the duration of the block."""
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, name="http-receiver", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
