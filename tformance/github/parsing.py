"""Turn GitHub's JSON (GraphQL nodes, REST objects) into the frozen records of types.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tformance.github.graphql import parse_datetime
from tformance.github.types import (
    Actor,
    CommitRecord,
    Connection,
    FileRecord,
    Organization,
    OrgMember,
    PullRequestRecord,
    RateLimit,
    Repository,
    ReviewRecord,
    Viewer,
)

T = TypeVar("T")
Json = Mapping[str, Any]


def big_int(node: Json, field: str = "fullDatabaseId") -> int | None:
    """A ``BigInt`` id (GitHub sends it as a JSON string), falling back to ``databaseId``."""
    # Reference: https://docs.github.com/en/graphql/reference/scalars#bigint
    value = node.get(field)
    if value is None:
        value = node.get("databaseId")
    return int(value) if value is not None else None


def actor(node: Json | None) -> Actor | None:
    """A GraphQL ``Actor`` (User or Bot); ``None`` for a deleted "ghost" author."""
    # Reference: https://docs.github.com/en/graphql/reference/interfaces#actor
    if not node:
        return None
    return Actor(
        login=node["login"],
        database_id=node.get("databaseId"),
        name=node.get("name"),
        avatar_url=node.get("avatarUrl"),
        is_bot=node.get("__typename") == "Bot",
    )


def rate_limit(node: Json | None) -> RateLimit | None:
    """GraphQL ``rateLimit { cost remaining resetAt limit used }``."""
    # Reference: https://docs.github.com/en/graphql/reference/objects#ratelimit
    if not node:
        return None
    return RateLimit(
        cost=int(node["cost"]),
        remaining=int(node["remaining"]),
        reset_at=parse_datetime(node["resetAt"]),
        limit=int(node["limit"]),
        used=int(node["used"]),
    )


def file_record(node: Json) -> FileRecord:
    """A ``PullRequestChangedFile``."""
    return FileRecord(
        path=node["path"],
        additions=int(node["additions"]),
        deletions=int(node["deletions"]),
        change_type=node["changeType"],
    )


def commit_record(node: Json) -> CommitRecord:
    """A ``PullRequestCommit`` (its ``commit``: a ``Commit`` with ``GitActor`` author/committer)."""
    commit = node["commit"]
    author = commit.get("author") or {}
    committer = commit.get("committer") or {}
    author_user = author.get("user") or {}
    committer_user = committer.get("user") or {}
    return CommitRecord(
        sha=commit["oid"],
        message=commit.get("message") or "",
        author_name=author.get("name"),
        author_email=author.get("email"),
        author_login=author_user.get("login"),
        author_database_id=author_user.get("databaseId"),
        committer_name=committer.get("name"),
        committer_email=committer.get("email"),
        committer_login=committer_user.get("login"),
        committer_database_id=committer_user.get("databaseId"),
        authored_at=parse_datetime(commit.get("authoredDate")),
        committed_at=parse_datetime(commit.get("committedDate")),
        additions=int(commit.get("additions") or 0),
        deletions=int(commit.get("deletions") or 0),
    )


def review_record(node: Json) -> ReviewRecord:
    """A ``PullRequestReview``."""
    return ReviewRecord(
        node_id=node["id"],
        database_id=big_int(node),
        author=actor(node.get("author")),
        state=node["state"],
        submitted_at=parse_datetime(node.get("submittedAt")),
        body=node.get("body") or "",
    )


def connection(node: Json | None, item: Callable[[Json], T]) -> Connection[T]:
    """A connection with ``totalCount``, ``pageInfo`` and ``nodes``."""
    # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
    node = node or {}
    page_info = node.get("pageInfo") or {}
    items = tuple(item(n) for n in node.get("nodes") or () if n is not None)
    return Connection(
        items=items,
        total_count=int(node.get("totalCount") or 0),
        end_cursor=page_info.get("endCursor"),
        has_next_page=bool(page_info.get("hasNextPage")),
    )


def pull_request(node: Json) -> PullRequestRecord:
    """A ``PullRequest`` with the first page of files, commits and reviews."""
    ready_nodes = [n for n in (node.get("timelineItems") or {}).get("nodes") or () if n]
    return PullRequestRecord(
        node_id=node["id"],
        database_id=big_int(node),
        number=int(node["number"]),
        title=node.get("title") or "",
        body=node.get("body") or "",
        state=node["state"],
        is_draft=bool(node.get("isDraft")),
        author=actor(node.get("author")),
        base_ref=node.get("baseRefName") or "",
        head_ref=node.get("headRefName") or "",
        url=node.get("url") or "",
        created_at=parse_datetime(node["createdAt"]),
        updated_at=parse_datetime(node["updatedAt"]),
        merged_at=parse_datetime(node.get("mergedAt")),
        closed_at=parse_datetime(node.get("closedAt")),
        additions=int(node.get("additions") or 0),
        deletions=int(node.get("deletions") or 0),
        changed_files=int(node.get("changedFiles") or 0),
        ready_for_review_at=parse_datetime(ready_nodes[0].get("createdAt"))
        if ready_nodes
        else None,
        files=connection(node.get("files"), file_record),
        commits=connection(node.get("commits"), commit_record),
        reviews=connection(node.get("reviews"), review_record),
    )


# --- REST objects (the raw JSON PyGithub received) -----------------------------------------


def viewer(raw: Json, scopes: tuple[str, ...] | None) -> Viewer:
    """``GET /user``."""
    # Reference: https://docs.github.com/en/rest/users/users#get-the-authenticated-user
    return Viewer(
        login=raw["login"],
        database_id=int(raw["id"]),
        node_id=raw.get("node_id") or "",
        name=raw.get("name"),
        email=raw.get("email"),
        avatar_url=raw.get("avatar_url"),
        html_url=raw.get("html_url"),
        scopes=scopes,
    )


def organization(raw: Json) -> Organization:
    """``GET /orgs/{org}`` or an ``organization-simple`` of ``GET /user/orgs``."""
    # Reference: https://docs.github.com/en/rest/orgs/orgs#get-an-organization
    return Organization(
        login=raw["login"],
        database_id=int(raw["id"]),
        node_id=raw.get("node_id") or "",
        name=raw.get("name"),
        description=raw.get("description"),
        avatar_url=raw.get("avatar_url"),
    )


def org_member(raw: Json) -> OrgMember:
    """A ``simple-user`` of ``GET /orgs/{org}/members``."""
    # Reference: https://docs.github.com/en/rest/orgs/members#list-organization-members
    return OrgMember(
        login=raw["login"],
        database_id=int(raw["id"]),
        node_id=raw.get("node_id") or "",
        avatar_url=raw.get("avatar_url"),
        is_bot=raw.get("type") == "Bot",
    )


def repository(raw: Json) -> Repository:
    """``GET /repos/{owner}/{repo}`` or an entry of ``GET /orgs/{org}/repos``."""
    # Reference: https://docs.github.com/en/rest/repos/repos#get-a-repository
    owner = (raw.get("owner") or {}).get("login") or raw["full_name"].split("/", 1)[0]
    return Repository(
        database_id=int(raw["id"]),
        node_id=raw.get("node_id") or "",
        owner=owner,
        name=raw["name"],
        full_name=raw["full_name"],
        private=bool(raw.get("private")),
        archived=bool(raw.get("archived")),
        fork=bool(raw.get("fork")),
        default_branch=raw.get("default_branch"),
        html_url=raw.get("html_url"),
        pushed_at=parse_datetime(raw.get("pushed_at")),
        updated_at=parse_datetime(raw.get("updated_at")),
    )
