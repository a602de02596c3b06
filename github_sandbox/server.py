"""The WSGI app (routing, auth, faults, rate limits, stats) and a threaded stdlib server."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import control, oauth, web
from .auth import AuthStore
from .faults import Faults, Stats
from .graphql_api import schema
from .graphql_endpoint import handle_graphql, rate_headers
from .jira import endpoint as jira_endpoint
from .jira.auth import JiraAuth
from .responses import (
    RATE_DOCS,
    Response,
    bad_credentials,
    error,
    request_id,
    requires_authentication,
    secondary_limited,
    server_error_502,
)
from .rest_api import RestRequest, dispatch
from .rest_serializers import Bases
from .slack import SlackStore
from .slack import api as slack_api

# A 1x1 PNG so avatar URLs resolve offline.
AVATAR = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
GRAPHQL_DOCS = "https://docs.github.com/graphql"


class SandboxApp:
    def __init__(
        self,
        world,
        faults: Faults | None = None,
        stats: Stats | None = None,
        auth: AuthStore | None = None,
        slack: SlackStore | None = None,
    ):
        self.world = world
        self.faults = faults or Faults()
        self.stats = stats or Stats()
        self.auth = auth or AuthStore(seed=world.seed)
        self.jira_auth = JiraAuth(seed=world.seed)
        self.slack = slack or SlackStore()
        schema()  # built once per process, before the first query rather than during it

    def __call__(self, environ, start_response):
        response = self.handle(environ)
        headers = [("Content-Type", response.content_type), *response.headers.items()]
        start_response(response.wsgi_status(), headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else response.encoded()]

    def handle(self, environ) -> Response:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        raw_query = environ.get("QUERY_STRING", "")
        query = {k: v[0] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        base = f"http://{host}"
        if path.startswith("/_sandbox/"):
            return control.handle(self, method, path, query, body)
        if path == "/rest/api/3" or path.startswith("/rest/api/3/"):
            return jira_endpoint.handle(self, environ, method, path, query, body, base)
        if slack_api.is_webhook_path(path):
            return slack_api.webhook(self.slack, method, path, body)
        if path.startswith("/avatars/"):
            return Response(200, AVATAR, content_type="image/png")
        if path.startswith("/login/oauth/"):
            self.stats.add(oauth_requests=1)
            self.sleep()
            if path == "/login/oauth/authorize" and method == "GET":
                return oauth.authorize(self, query)
            if path == "/login/oauth/access_token" and method == "POST":
                return oauth.access_token(
                    self,
                    body,
                    environ.get("CONTENT_TYPE", ""),
                    environ.get("HTTP_ACCEPT", ""),
                    query,
                )
            return oauth.html_page(404, "Not Found")
        if (page := web.page(self.world, method, path, base)) is not None:
            return page
        return self.api(environ, method, path, raw_query, query, body, base)

    def sleep(self) -> None:
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)

    def api(self, environ, method, path, raw_query, query, body, web) -> Response:
        graphql = path in ("/graphql", "/api/graphql")
        enterprise = path == "/api/graphql" or path == "/api/v3" or path.startswith("/api/v3/")
        api_path = path.removeprefix("/api/v3") or "/" if not graphql else path
        bases = Bases(web + ("/api/v3" if enterprise else ""), web)
        self.stats.add(
            total_requests=1, **({"graphql_requests": 1} if graphql else {"rest_requests": 1})
        )
        self.sleep()
        rid = request_id()
        fingerprint = (method, path, raw_query, hashlib.sha1(body).hexdigest())
        endpoint = "POST /graphql" if graphql else None
        if self.faults.roll_502():
            self.stats.add(served_502=1)
            self.stats.mark_failed(fingerprint)
            response = server_error_502(graphql, rid)
        else:
            response, endpoint = self.authenticated(
                environ, method, api_path, query, body, bases, graphql, rid, endpoint
            )
        response.headers.setdefault("X-GitHub-Request-Id", rid)
        self.stats.record(response.status, endpoint, fingerprint)
        return response

    def authenticated(self, environ, method, api_path, query, body, bases, graphql, rid, endpoint):
        header = environ.get("HTTP_AUTHORIZATION")
        token = self.auth.lookup(header)
        if token is None:
            if graphql:
                message = (
                    "Bad credentials"
                    if header
                    else "This endpoint requires you to be authenticated."
                )
                return Response(
                    401, {"message": message, "documentation_url": GRAPHQL_DOCS}
                ), endpoint
            return (bad_credentials() if header else requires_authentication()), endpoint
        viewer = self.world.account(token.login)
        scope_headers = {"X-OAuth-Scopes": ", ".join(token.scopes)}
        if self.faults.next_is_secondary_limited():
            self.stats.add(secondary_limited=1)
            response = secondary_limited(self.faults.secondary_retry_after, rid)
            response.headers.update(scope_headers)
            return response, endpoint
        if graphql:
            if method != "POST":
                return Response(
                    404, {"message": "Not Found", "documentation_url": GRAPHQL_DOCS}
                ), endpoint
            with self.world.lock:
                response = handle_graphql(self, token, viewer, body, bases.web, rid)
            response.headers.update(scope_headers)
            return response, endpoint
        return self.rest(method, api_path, query, token, viewer, bases, scope_headers)

    def rest(self, method, api_path, query, token, viewer, bases, scope_headers):
        f = self.faults
        points = 0 if api_path == "/rate_limit" else 1  # /rate_limit is free, as documented
        ok, limit, remaining, used, reset = self.auth.charge(
            viewer.login, "core", points, f.rest_budget, f.window_seconds, f.window_from_exhaustion
        )
        headers = {
            **rate_headers(limit, remaining, used, reset, "core"),
            **scope_headers,
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
        }
        if not ok:
            self.stats.add(primary_limited_rest=1)
            response = error(403, f"API rate limit exceeded for user ID {viewer.id}.", RATE_DOCS)
            response.headers.update({**headers, "X-RateLimit-Remaining": "0"})
            return response, None
        req = RestRequest(method, api_path, query, token, viewer, bases, self.world, self.auth, f)
        with self.world.lock:
            response, endpoint = dispatch(req)
        for key, value in headers.items():
            response.headers.setdefault(key, value)
        return response, endpoint


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def start_server(app: SandboxApp, host: str = "127.0.0.1", port: int = 0, quiet: bool = True):
    """Starts serving in a daemon thread; returns (server, thread)."""
    server = make_server(
        host,
        port,
        app,
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler if quiet else WSGIRequestHandler,
    )
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"github-sandbox-{server.server_port}",
        daemon=True,
    )
    thread.start()
    return server, thread
