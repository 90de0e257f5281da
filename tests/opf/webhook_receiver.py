"""A real HTTP receiver for webhook tests: ``http.server`` in a thread on 127.0.0.1,
a random port, answering the statuses it is given in turn and keeping what it got."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    statuses: list[int]  # answered in turn; the last one from then on
    got: list[Received] = field(default_factory=list)
    location: str = ""  # sent with a 3xx


@contextmanager
def receiver(*statuses: int, location: str = "") -> Iterator[Receiver]:
    state = Receiver(url="", statuses=list(statuses) or [200], location=location)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.got.append(Received(self.path, dict(self.headers.items()), body))
            index = min(len(state.got), len(state.statuses)) - 1
            self.send_response(state.statuses[index])
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
