"""REST through PyGithub: the one factory that configures it, and the calls we make with it.

PyGithub is configured in exactly one place (:func:`build_pygithub`): no retries of its own
(``retry=None``: ours in :mod:`tformance.github.retry` are the only ones), explicit
throttling, a timeout, ``per_page=100`` and lazy objects (no hidden extra requests).
Records are built from the JSON PyGithub received (``_rawData``), never by touching lazy
attributes, so reading a field can never trigger another request.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github
from github.GithubException import (
    GithubException,
)
from github.PaginatedList import PaginatedList
from github.PullRequest import PullRequest

from tformance.github import parsing
from tformance.github.errors import error_from_pygithub, error_from_transport
from tformance.github.retry import RetryPolicy, UsageCounter, call_with_retries
from tformance.github.types import Organization, OrgMember, Repository, Viewer

# Reference: https://docs.github.com/en/rest/about-the-rest-api/api-versions
REST_API_VERSION = "2022-11-28"


class CountingToken(Auth.Token):
    """PyGithub token auth that reports every request it signs (one per HTTP request)."""

    def __init__(self, token: str, on_request: Callable[[], None]) -> None:
        super().__init__(token)
        self._on_request = on_request

    def authentication(self, headers: dict) -> None:
        """Count the request, then add ``Authorization: token …``."""
        self._on_request()
        super().authentication(headers)


def build_pygithub(
    *,
    token: str,
    api_url: str,
    timeout: float,
    user_agent: str,
    on_request: Callable[[], None],
    seconds_between_requests: float | None = 0.0,
    seconds_between_writes: float | None = 1.0,
) -> Github:
    """The single place PyGithub is configured."""
    return Github(
        auth=CountingToken(token, on_request),
        base_url=api_url,
        timeout=max(1, math.ceil(timeout)),  # PyGithub insists on an int
        user_agent=user_agent,
        per_page=100,
        retry=None,  # no urllib3 retries: tformance.github.retry is the only retry loop
        seconds_between_requests=seconds_between_requests,
        seconds_between_writes=seconds_between_writes,
        lazy=True,
        api_version=REST_API_VERSION,
    )


def _raw(obj: Any) -> Mapping[str, Any]:
    # The JSON GitHub sent; the public raw_data property would fetch lazy objects.
    return obj._rawData


class RestApi:
    """The REST calls of the client, each retried and mapped to typed errors."""

    def __init__(
        self,
        gh: Github,
        *,
        policy: RetryPolicy,
        usage: UsageCounter,
        on_response: Callable[[], None] = lambda: None,
    ) -> None:
        self.gh = gh
        self.policy = policy
        self.usage = usage
        self._on_response = on_response  # after every call, once `usage` has its limits

    def _call(self, fn: Callable[[], Any], what: str) -> Any:
        def once() -> Any:
            try:
                return fn()
            except GithubException as exc:
                raise error_from_pygithub(exc) from exc
            except requests.RequestException as exc:
                raise error_from_transport(exc) from exc
            finally:
                self._note_rate_limit()

        return call_with_retries(once, policy=self.policy, usage=self.usage, what=what)

    def _collect(self, paginated: PaginatedList, what: str) -> list[Any]:
        # Page by page, so a failure retries only the page that failed (PyGithub keeps
        # its next-page URL until a page succeeds).
        items: list[Any] = []
        while paginated._couldGrow():
            items.extend(self._call(paginated._grow, what))
        return items

    def _note_rate_limit(self) -> None:
        remaining, _limit = self.gh.requester.rate_limiting
        if remaining >= 0:
            self.usage.rest_remaining = remaining
        reset = self.gh.requester.rate_limiting_resettime
        if reset:
            self.usage.rest_reset_at = dt.datetime.fromtimestamp(reset, dt.UTC)
        self._on_response()

    def get_viewer(self) -> Viewer:
        """The token's user, with the token's scopes."""
        # Reference: https://docs.github.com/en/rest/users/users#get-the-authenticated-user
        user = self._call(lambda: self.gh.get_user().complete(), "GET /user")
        scopes = self.gh.requester.oauth_scopes
        scope_tuple = tuple(s.strip() for s in scopes if s.strip()) if scopes is not None else None
        return parsing.viewer(_raw(user), scope_tuple)

    def list_organizations(self) -> list[Organization]:
        """The viewer's organizations."""
        # Reference: https://docs.github.com/en/rest/orgs/orgs#list-organizations-for-the-authenticated-user
        orgs = self._collect(self.gh.get_user().get_orgs(), "GET /user/orgs")
        return [parsing.organization(_raw(o)) for o in orgs]

    def get_organization(self, login: str) -> Organization:
        """One organization."""
        # Reference: https://docs.github.com/en/rest/orgs/orgs#get-an-organization
        org = self._call(lambda: self.gh.get_organization(login).complete(), "GET /orgs/{org}")
        return parsing.organization(_raw(org))

    def list_org_members(self, org: str) -> list[OrgMember]:
        """Every member of an organization."""
        # Reference: https://docs.github.com/en/rest/orgs/members#list-organization-members
        members = self.gh.get_organization(org).get_members()
        return [parsing.org_member(_raw(m)) for m in self._collect(members, "GET members")]

    def list_org_repositories(self, org: str) -> list[Repository]:
        """The organization's repositories, archived excluded, most recently pushed first."""
        # Reference: https://docs.github.com/en/rest/repos/repos#list-organization-repositories
        repos = self.gh.get_organization(org).get_repos(type="all", sort="pushed", direction="desc")
        records = [parsing.repository(_raw(r)) for r in self._collect(repos, "GET org repos")]
        # The endpoint has no archived filter; GitHub sorts by pushed_at already, and the
        # stable sort keeps its order while guaranteeing it.
        live = [r for r in records if not r.archived]
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(live, key=lambda r: r.pushed_at or oldest, reverse=True)

    def get_repository(self, full_name: str) -> Repository:
        """One repository by ``owner/name``."""
        # Reference: https://docs.github.com/en/rest/repos/repos#get-a-repository
        repo = self._call(lambda: self.gh.get_repo(full_name).complete(), "GET /repos/{o}/{r}")
        return parsing.repository(_raw(repo))

    def list_pull_request_renames(self, owner: str, name: str, number: int) -> dict[str, str]:
        """``{path: previous_path}`` for the files a pull request renamed."""
        # Reference: https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
        path = f"/repos/{quote(owner, safe='')}/{quote(name, safe='')}/pulls/{int(number)}"
        pull = PullRequest(self.gh.requester, url=path)
        files = self._collect(pull.get_files(), "GET pull files")
        renames: dict[str, str] = {}
        for f in files:
            raw = _raw(f)
            if raw.get("previous_filename"):
                renames[raw["filename"]] = raw["previous_filename"]
        return renames
