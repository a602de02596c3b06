"""`run_sandbox()`: a GitHub sandbox on a free 127.0.0.1 port for the duration of a block."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass

from .auth import DEFAULT_SCOPES
from .faults import Faults, Stats
from .jira.models import Issue
from .jira.world import JiraWorld
from .populate import world_build
from .server import SandboxApp, start_server
from .slack import SlackMessage
from .world import VIEWER_LOGIN, World


@dataclass
class JiraHandle:
    """The Jira Cloud site the same server answers: REST v3 at `url + "/rest/api/3"`."""

    url: str  # the Jira "site URL"
    email: str
    api_token: str
    app: SandboxApp

    @property
    def world(self) -> JiraWorld:
        return self.app.world.jira

    @property
    def auth(self) -> tuple[str, str]:
        """(email, api_token), as `requests` takes basic credentials."""
        return self.email, self.api_token

    def revoke_token(self, token: str | None = None) -> None:
        self.app.jira_auth.revoke(token or self.api_token)

    def issue_token(self, email: str | None = None) -> str:
        return self.app.jira_auth.issue_token(email or self.email)

    def update_issue(self, key: str, **changes) -> Issue:
        return self.world.update_issue(key, **changes)

    def delete_project(self, key: str) -> None:
        self.world.delete_project(key)


@dataclass
class SlackHandle:
    """Slack's incoming webhooks on the sandbox's host: `webhook_url`, then read `messages`."""

    url: str  # the sandbox's base; webhooks live under url + "/services/"
    app: SandboxApp

    @property
    def webhook_url_prefix(self) -> str:
        """What Django's SLACK_WEBHOOK_URL_PREFIX is set to for these webhooks."""
        return f"{self.url}/services/"

    def webhook_url(
        self, *, workspace: str = "T00000001", webhook: str = "B00000001", secret: str = ""
    ) -> str:
        """A webhook URL shaped like Slack's; a fresh secret unless one is given."""
        secret = secret or secrets.token_hex(12)
        return f"{self.webhook_url_prefix}{workspace}/{webhook}/{secret}"

    def messages(self, webhook_url: str | None = None) -> list[SlackMessage]:
        """The posts Slack accepted, oldest first; only one webhook's when given."""
        return self.app.slack.messages(webhook_url)

    def revoke(self, webhook_url: str, *, error: str = "no_service") -> None:
        """From now on the webhook answers as a removed one: no_service (404), or
        channel_is_archived / team_disabled (410), channel_not_found (404),
        action_prohibited (403)."""
        self.app.slack.refuse(webhook_url, error)

    def restore(self, webhook_url: str) -> None:
        self.app.slack.restore(webhook_url)

    def fail_next(self, count: int = 1, *, status: int = 503, delay: float = 0.0) -> None:
        """The next `count` posts are answered `status` (or, with 0, as usual) after `delay`."""
        self.app.slack.fail_next(count, status=status, delay=delay)

    def reset(self) -> None:
        self.app.slack.reset()


@dataclass
class SandboxHandle:
    url: str  # web base; also the github.com-style API base (REST at root, /graphql)
    api_url: str
    enterprise_api_url: str  # url + "/api/v3"; GraphQL then at url + "/api/graphql"
    graphql_url: str
    enterprise_graphql_url: str
    token: str
    app: SandboxApp
    jira: JiraHandle | None = None

    @property
    def world(self) -> World:
        return self.app.world

    @property
    def faults(self) -> Faults:
        return self.app.faults

    @property
    def stats(self) -> Stats:
        return self.app.stats

    @property
    def slack(self) -> SlackHandle:
        return SlackHandle(self.url, self.app)

    def issue_token(self, *, login: str = VIEWER_LOGIN, scopes=DEFAULT_SCOPES) -> str:
        return self.app.auth.issue_token(login, tuple(scopes))

    def revoke_token(self, token: str) -> None:
        self.app.auth.revoke(token)

    def register_oauth_app(self, client_id: str, client_secret: str) -> None:
        """Once any app is registered, unknown client credentials are rejected."""
        self.app.auth.oauth_apps[client_id] = client_secret


@contextmanager
def run_sandbox(
    *,
    seed: int = 1,
    now=None,
    faults: Faults | dict | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    **world_params,
):
    """Yields a SandboxHandle; `world_params` go to `world_build` (repos, prs, months, ...)."""
    if isinstance(faults, dict):
        faults = Faults(**faults)
    world = world_build(seed=seed, now=now, **world_params)
    app = SandboxApp(world, faults or Faults(seed=seed), Stats())
    server, thread = start_server(app, host, port)
    url = f"http://{host}:{server.server_port}"
    handle = SandboxHandle(
        url,
        url,
        f"{url}/api/v3",
        f"{url}/graphql",
        f"{url}/api/graphql",
        app.auth.issue_token(VIEWER_LOGIN, DEFAULT_SCOPES),
        app,
    )
    if world.jira is not None:
        email = world.jira.viewer.email
        handle.jira = JiraHandle(url, email, app.jira_auth.issue_token(email), app)
    try:
        yield handle
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
