"""Plain data objects of the sandbox world (no behaviour beyond small helpers)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

# GitHub's "next" global node IDs start with a type prefix (e.g. `PR_kwDO...`); the rest is
# opaque, so we only mimic the prefix and keep the payload readable for debugging.
NODE_PREFIXES = {
    "User": "U",
    "Bot": "BOT",
    "Mannequin": "M",
    "Organization": "O",
    "Repository": "R",
    "PullRequest": "PR",
    "PullRequestReview": "PRR",
    "PullRequestCommit": "PURC",
    "Commit": "C",
    "ReadyForReviewEvent": "RFRE",
    "ConvertToDraftEvent": "CTDE",
}


def node_id(kind: str, key: int | str) -> str:
    raw = f"{kind}:{key}".encode()
    return f"{NODE_PREFIXES[kind]}_kw{base64.urlsafe_b64encode(raw).decode().rstrip('=')}"


def fake_sha(*parts: object) -> str:
    return hashlib.sha1(":".join(str(p) for p in parts).encode()).hexdigest()


def iso(dt: datetime | None) -> str | None:
    """GitHub's timestamp format: ISO 8601, UTC, second precision, `Z` suffix."""
    if dt is None:
        return None
    return dt.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


@dataclass(eq=False)
class Account:
    """A user, bot, mannequin or organization: GitHub keeps all of them in one table."""

    id: int
    login: str  # REST login; bots carry the `[bot]` suffix here
    kind: str  # "User" | "Bot" | "Mannequin" | "Organization"
    name: str | None = None
    email: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    company: str | None = None
    location: str | None = None
    bio: str | None = None
    node_id: str = ""
    graphql_type: str = ""

    def __post_init__(self):
        self.graphql_type = self.kind
        self.node_id = self.node_id or node_id(self.kind, self.id)

    @property
    def graphql_login(self) -> str:
        # GraphQL drops the `[bot]` suffix of app bots (`dependabot[bot]` -> `dependabot`).
        return self.login.removesuffix("[bot]")


@dataclass(eq=False)
class Organization(Account):
    description: str = ""
    members: dict[str, str] = field(default_factory=dict)  # login -> "admin" | "member"
    public_members: set[str] = field(default_factory=set)
    repos: list[Repository] = field(default_factory=list)


@dataclass(eq=False)
class Repository:
    id: int
    owner: Organization
    name: str
    private: bool
    archived: bool
    created_at: datetime
    updated_at: datetime
    pushed_at: datetime
    description: str = ""
    language: str | None = None
    default_branch: str = "main"
    pulls: list[PullRequest] = field(default_factory=list)  # ascending by number
    node_id: str = ""
    graphql_type: str = "Repository"

    def __post_init__(self):
        self.node_id = self.node_id or node_id("Repository", self.id)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"


@dataclass(eq=False)
class GitActor:
    name: str
    email: str
    date: datetime
    user: Account | None = None


@dataclass(eq=False)
class Commit:
    sha: str
    message: str
    author: GitActor
    committer: GitActor
    additions: int
    deletions: int
    parents: list[str] = field(default_factory=list)
    graphql_type: str = "Commit"

    @property
    def node_id(self) -> str:
        return node_id("Commit", self.sha[:16])


@dataclass(eq=False)
class PullRequestCommit:
    """The edge object GraphQL puts between a pull request and a commit."""

    pull: PullRequest
    commit: Commit
    graphql_type: str = "PullRequestCommit"

    @property
    def node_id(self) -> str:
        return node_id("PullRequestCommit", f"{self.pull.id}:{self.commit.sha[:12]}")


@dataclass(eq=False)
class ChangedFile:
    path: str
    status: str  # REST status: added, removed, modified, renamed, copied, changed
    additions: int
    deletions: int
    sha: str
    previous_path: str | None = None
    binary: bool = False


@dataclass(eq=False)
class Review:
    id: int
    pull: PullRequest
    author: Account | None
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    body: str
    submitted_at: datetime | None
    created_at: datetime
    commit_id: str
    graphql_type: str = "PullRequestReview"

    @property
    def node_id(self) -> str:
        return node_id("PullRequestReview", self.id)


@dataclass(eq=False)
class TimelineEvent:
    id: int
    kind: str  # "ReadyForReviewEvent" | "ConvertToDraftEvent"
    pull: PullRequest
    actor: Account | None
    created_at: datetime

    @property
    def graphql_type(self) -> str:
        return self.kind

    @property
    def node_id(self) -> str:
        return node_id(self.kind, self.id)


@dataclass(eq=False)
class PullRequest:
    id: int
    number: int
    repo: Repository
    title: str
    body: str
    author: Account | None  # None models a deleted ("ghost") account
    created_at: datetime
    updated_at: datetime
    state: str = "open"  # REST state: open | closed
    merged: bool = False
    draft: bool = False
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    merged_by: Account | None = None
    base_ref: str = "main"
    head_ref: str = ""
    labels: list[str] = field(default_factory=list)
    files: list[ChangedFile] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    comments: int = 0
    graphql_type: str = "PullRequest"

    @property
    def node_id(self) -> str:
        return node_id("PullRequest", self.id)

    @property
    def additions(self) -> int:
        return sum(f.additions for f in self.files)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.files)

    @property
    def graphql_state(self) -> str:
        if self.merged:
            return "MERGED"
        return "OPEN" if self.state == "open" else "CLOSED"

    @property
    def head_sha(self) -> str:
        return self.commits[-1].sha if self.commits else fake_sha("head", self.id)

    @property
    def merge_commit_sha(self) -> str | None:
        return fake_sha("merge", self.id) if self.merged else None

    def touch(self, when: datetime) -> None:
        self.updated_at = max(self.updated_at, when)
