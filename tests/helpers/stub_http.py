"""A tiny HTTP server on 127.0.0.1 that answers what a test tells it to, and records requests.

Stands in for Jira and Slack: the code under test makes real HTTP requests to it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class StubServer:
    url: str = ""
    routes: dict = field(default_factory=dict)  # (method, path) -> (status, body)
    requests: list = field(default_factory=list)

    def answer(self, method: str, path: str, status: int, body, headers=None) -> None:
        self.routes[(method, path)] = (status, body, headers or {})


def _handler(stub: StubServer):
    class Handler(BaseHTTPRequestHandler):
        def _reply(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            stub.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
            status, payload, headers = stub.routes.get(
                (self.command, self.path), (404, "no route", {})
            )
            if isinstance(payload, dict | list):
                data, kind = json.dumps(payload).encode(), "application/json"
            else:
                data, kind = str(payload).encode(), "text/plain; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _reply

        def log_message(self, *args):  # quiet
            pass

    return Handler


@pytest.fixture
def http_stub(settings):
    """A StubServer on a free loopback port for the duration of the test.

    Outbound requests may reach loopback while it runs (`OUTBOUND_ALLOW_LOOPBACK`); a test
    of the guard itself turns that off again.
    """
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    stub = StubServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    server.server_close()
    thread.join(5)
