"""Plain, frozen data that the GitHub client hands out (never PyGithub objects or raw JSON)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Viewer:
    """The user the token belongs to (``GET /user``)."""

    login: str
    database_id: int
    node_id: str
    name: str | None
    email: str | None
    avatar_url: str | None
    html_url: str | None
    scopes: tuple[str, ...] | None  # from X-OAuth-Scopes; None for tokens without scopes


@dataclass(frozen=True, slots=True)
class Organization:
    """An organization (``GET /orgs/{org}`` or an entry of ``GET /user/orgs``)."""

    login: str
    database_id: int
    node_id: str
    name: str | None
    description: str | None
    avatar_url: str | None


@dataclass(frozen=True, slots=True)
class OrgMember:
    """A member of an organization (``GET /orgs/{org}/members``)."""

    login: str
    database_id: int
    node_id: str
    avatar_url: str | None
    is_bot: bool


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository (``GET /repos/{owner}/{repo}`` or ``GET /orgs/{org}/repos``)."""

    database_id: int
    node_id: str
    owner: str
    name: str
    full_name: str
    private: bool
    archived: bool
    fork: bool
    default_branch: str | None
    html_url: str | None
    pushed_at: dt.datetime | None
    updated_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something on GitHub (a User or a Bot); ``None`` stands for a deleted "ghost"."""

    login: str
    database_id: int | None
    name: str | None
    avatar_url: str | None
    is_bot: bool


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """A pull request review (GraphQL ``PullRequestReview``)."""

    node_id: str
    database_id: int | None
    author: Actor | None
    state: str  # PENDING, COMMENTED, APPROVED, CHANGES_REQUESTED, DISMISSED
    submitted_at: dt.datetime | None
    body: str


@dataclass(frozen=True, slots=True)
class CommitRecord:
    """A commit of a pull request (GraphQL ``PullRequestCommit.commit``)."""

    sha: str
    message: str
    author_name: str | None
    author_email: str | None
    author_login: str | None
    author_database_id: int | None
    committer_name: str | None
    committer_email: str | None
    committer_login: str | None
    committer_database_id: int | None
    authored_at: dt.datetime | None
    committed_at: dt.datetime | None
    additions: int
    deletions: int


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A file changed by a pull request (GraphQL ``PullRequestChangedFile``)."""

    path: str
    additions: int
    deletions: int
    change_type: str  # ADDED, CHANGED, COPIED, DELETED, MODIFIED, RENAMED
    # The path before a rename: REST's ``previous_filename`` (GraphQL has no such field),
    # filled in by ``GitHubClient.complete_pull_requests``; "" for every other file.
    previous_path: str = ""


@dataclass(frozen=True, slots=True)
class Connection(Generic[T]):  # noqa: UP046 (Python 3.11)
    """One page of a nested connection: its items, how many exist, and where to resume."""

    items: tuple[T, ...]
    total_count: int
    end_cursor: str | None
    has_next_page: bool

    @property
    def is_complete(self) -> bool:
        """True when every item of the connection is in ``items``."""
        return not self.has_next_page and len(self.items) >= self.total_count


@dataclass(frozen=True, slots=True)
class PullRequestRecord:
    """A pull request with (possibly partial) files, commits and reviews."""

    node_id: str
    database_id: int | None
    number: int
    title: str
    body: str
    state: str  # OPEN, CLOSED, MERGED
    is_draft: bool
    author: Actor | None
    base_ref: str
    head_ref: str
    url: str
    created_at: dt.datetime
    updated_at: dt.datetime
    merged_at: dt.datetime | None
    closed_at: dt.datetime | None
    additions: int
    deletions: int
    changed_files: int
    ready_for_review_at: dt.datetime | None
    files: Connection[FileRecord]
    commits: Connection[CommitRecord]
    reviews: Connection[ReviewRecord]

    @property
    def is_complete(self) -> bool:
        """True when files, commits and reviews are all complete."""
        return self.files.is_complete and self.commits.is_complete and self.reviews.is_complete


@dataclass(frozen=True, slots=True)
class RateLimit:
    """GraphQL ``rateLimit { cost remaining resetAt limit used }`` of one answer."""

    cost: int
    remaining: int
    reset_at: dt.datetime
    limit: int
    used: int


@dataclass(frozen=True, slots=True)
class PullRequestPage:
    """One page of a repository's pull requests, newest update first."""

    pull_requests: tuple[PullRequestRecord, ...]
    end_cursor: str | None
    has_next_page: bool
    total_count: int
    rate_limit: RateLimit | None
    page_size: int  # the page size actually used (smaller after GitHub timeouts)


@dataclass(frozen=True, slots=True)
class Usage:
    """What one client instance has spent so far."""

    requests: int
    rest_requests: int
    graphql_requests: int
    graphql_points: int
    retries: int
    page_size_reductions: int
    rest_remaining: int | None
    rest_reset_at: dt.datetime | None
    graphql_remaining: int | None
    graphql_reset_at: dt.datetime | None
