"""Resolver functions for the GraphQL schema (lookups, connections, visibility)."""

from __future__ import annotations

import functools
import re
from datetime import datetime

from .models import Account, Organization, PullRequestCommit, Repository, iso
from .pagination import GitHubGraphQLError, connect

ITEM_TYPES = {
    "PullRequestCommit": "PULL_REQUEST_COMMIT",
    "PullRequestReview": "PULL_REQUEST_REVIEW",
    "ReadyForReviewEvent": "READY_FOR_REVIEW_EVENT",
    "ConvertToDraftEvent": "CONVERT_TO_DRAFT_EVENT",
}


@functools.cache
def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def default_resolver(obj, info, **_):
    if isinstance(obj, dict):
        return obj.get(info.field_name)
    value = getattr(obj, info.field_name, None)
    if value is None:
        value = getattr(obj, snake(info.field_name), None)
    return iso(value) if isinstance(value, datetime) else value


def web(info, path: str) -> str:
    return info.context.web_base + path


def account_path(a: Account) -> str:
    return f"/apps/{a.graphql_login}" if a.kind == "Bot" else f"/{a.login}"


def not_found(kind: str, how: str) -> GitHubGraphQLError:
    return GitHubGraphQLError("NOT_FOUND", f"Could not resolve to {kind} with {how}.")


# -- Query ---------------------------------------------------------------------------------
def q_repository(_, info, owner, name, followRenames=True):
    repo = info.context.world.repo(owner, name)
    if repo is None or not info.context.can_see(repo):
        raise not_found("a Repository", f"the name '{owner}/{name}'")
    return repo


def q_organization(_, info, login):
    org = info.context.world.org(login)
    if org is None:
        raise not_found("an Organization", f"the login of '{login}'")
    return org


def q_user(_, info, login):
    user = info.context.world.account(login)
    if user is None or user.kind != "User":
        raise not_found("a User", f"the login of '{login}'")
    return user


def q_node(_, info, id):  # noqa: A002 - GitHub's argument name
    obj = info.context.world.nodes.get(id)
    repo = getattr(obj, "repo", None) or getattr(getattr(obj, "pull", None), "repo", None)
    if (
        obj is None
        or (isinstance(obj, Repository) and not info.context.can_see(obj))
        or (repo is not None and not info.context.can_see(repo))
    ):
        return not_found("a node", f"the global id of '{id}'")
    return obj


def q_rate_limit(_, info, dryRun=False):
    return info.context.rate


# -- owners --------------------------------------------------------------------------------
def owner_repositories(owner, info, **args):
    ctx = info.context
    repos = [r for r in getattr(owner, "repos", []) if ctx.can_see(r)]
    if args.get("isArchived") is not None:
        repos = [r for r in repos if r.archived == args["isArchived"]]
    if args.get("isFork"):
        repos = []
    privacy = args.get("privacy") or args.get("visibility")
    if privacy:
        repos = [r for r in repos if r.private == (privacy == "PRIVATE")]
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    attr = {
        "CREATED_AT": lambda r: r.created_at.timestamp(),
        "NAME": lambda r: r.name.lower(),
        "PUSHED_AT": lambda r: r.pushed_at.timestamp(),
        "UPDATED_AT": lambda r: r.updated_at.timestamp(),
        "STARGAZERS": lambda r: 0,
    }
    desc = order["direction"] == "DESC"
    repos = sorted(repos, key=lambda r: (attr[order["field"]](r), r.id), reverse=desc)
    conn = connect("repositories", repos, args)
    conn.totalDiskUsage = 0
    return conn


def owner_repository(owner, info, name, followRenames=True):
    repo = info.context.world.repo(owner.login, name)
    return repo if repo is not None and info.context.can_see(repo) else None


def org_members(org: Organization, info, **args):
    ctx = info.context
    if not ctx.token.has("read:org"):
        raise GitHubGraphQLError(
            "INSUFFICIENT_SCOPES",
            "Your token has not been granted the required scopes to execute this query. The "
            "'membersWithRole' field requires one of the following scopes: ['read:org'], but "
            f"your token has only been granted the: {list(ctx.token.scopes)} scopes. Please "
            "modify your token's scopes at: https://github.com/settings/tokens.",
        )
    members = ctx.world.org_members(org.login)
    if ctx.viewer.login not in org.members:
        members = [m for m in members if m.login in org.public_members]
    return connect("membersWithRole", members, args, role=lambda m: org.members[m.login].upper())


def user_orgs(user, info, **args):
    return connect("organizations", info.context.world.user_orgs(user.login), args)


# -- pull requests -------------------------------------------------------------------------
def repo_pulls(repo, info, **args):
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    items, keys = info.context.world.ordered_pulls(
        repo,
        order["field"],
        order["direction"],
        tuple(args.get("states") or ()),
        args.get("baseRefName"),
        args.get("headRefName"),
        tuple(args.get("labels") or ()),
    )
    return connect("pullRequests", items, args, keys=keys)


def repo_pull(repo, info, number):
    pr = info.context.world.pull(repo, number)
    if pr is None:
        raise not_found("a PullRequest", f"the number of {number}")
    return pr


def pr_files(pr, info, **args):
    return connect("files", pr.files, args)


def pr_commits(pr, info, **args):
    return connect("commits", [PullRequestCommit(pr, c) for c in pr.commits], args)


def pr_reviews(pr, info, **args):
    faults = info.context.faults
    if args.get("after") and faults is not None and faults.take_review_race(pr.number):
        # GitHub changed the PR between two pages of its reviews (see Faults.review_races).
        info.context.world.add_review(pr.repo.full_name, pr.number, state="COMMENTED")
    reviews = pr.reviews
    if args.get("states"):
        reviews = [r for r in reviews if r.state in args["states"]]
    if args.get("author"):
        reviews = [r for r in reviews if r.author and r.author.graphql_login == args["author"]]
    return connect("reviews", reviews, args)


def pr_timeline(pr, info, **args):
    items = [(c.committer.date, 0, PullRequestCommit(pr, c)) for c in pr.commits]
    items += [(r.submitted_at or r.created_at, 1, r) for r in pr.reviews]
    items += [(e.created_at, 2, e) for e in pr.events]
    items = [i for _, _, i in sorted(items, key=lambda t: (t[0], t[1]))]
    if args.get("itemTypes"):
        wanted = set(args["itemTypes"])
        items = [i for i in items if ITEM_TYPES[i.graphql_type] in wanted]
    if args.get("since"):
        since = args["since"]
        items = [i for i in items if iso(timeline_time(i)) >= since]
    total = len(items)
    items = items[args.get("skip") or 0 :]
    conn = connect("timelineItems", items, args)
    conn.totalCount, conn.filteredCount, conn.pageCount = total, len(items), len(conn.nodes)
    conn.updatedAt = iso(pr.updated_at)
    return conn


def timeline_time(item) -> datetime:
    if isinstance(item, PullRequestCommit):
        return item.commit.committer.date
    return getattr(item, "submitted_at", None) or item.created_at


def pr_url(pr) -> str:
    return f"/{pr.repo.full_name}/pull/{pr.number}"


def git_actor_user(actor, info):
    return actor.user if actor.user is not None and actor.user.kind == "User" else None


def avatar(obj, info, size=None):
    suffix = f"&s={size}" if size else ""
    return web(info, f"/avatars/u/{obj.id}?v=4{suffix}")
