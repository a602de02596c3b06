"""Resolvers binding schema.graphql to the world (graphql-core, synchronous)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphql import build_schema

from .graphql_resolvers import (
    account_path,
    avatar,
    default_resolver,
    git_actor_user,
    org_members,
    owner_repositories,
    owner_repository,
    pr_commits,
    pr_files,
    pr_reviews,
    pr_timeline,
    pr_url,
    q_node,
    q_organization,
    q_rate_limit,
    q_repository,
    q_user,
    repo_pull,
    repo_pulls,
    user_orgs,
    web,
)
from .models import Account, Repository, iso

PATCH_STATUS = {
    "added": "ADDED",
    "removed": "DELETED",
    "modified": "MODIFIED",
    "renamed": "RENAMED",
    "copied": "COPIED",
    "changed": "CHANGED",
}
ITEM_TYPES = {
    "PullRequestCommit": "PULL_REQUEST_COMMIT",
    "PullRequestReview": "PULL_REQUEST_REVIEW",
    "ReadyForReviewEvent": "READY_FOR_REVIEW_EVENT",
    "ConvertToDraftEvent": "CONVERT_TO_DRAFT_EVENT",
}


@dataclass
class Context:
    world: object
    token: object
    viewer: Account
    web_base: str
    rate: dict
    faults: object = None

    def can_see(self, repo: Repository) -> bool:
        """Private repos need the `repo` scope and org membership, else they do not exist."""
        if not repo.private:
            return True
        return self.token.has("repo") and self.viewer.login in repo.owner.members


@dataclass
class Ref:
    id: str
    name: str
    prefix: str = "refs/heads/"


RESOLVERS = {
    "Query": {
        "viewer": lambda _, info: info.context.viewer,
        "repository": q_repository,
        "organization": q_organization,
        "user": q_user,
        "node": q_node,
        "nodes": lambda _, info, ids: [q_node(_, info, i) for i in ids],
        "repositoryOwner": lambda _, info, login: info.context.world.account(login),
        "rateLimit": q_rate_limit,
    },
    "User": {
        "email": lambda u, info: u.email or "",
        "isViewer": lambda u, info: u is info.context.viewer,
        "organizations": user_orgs,
        "organization": lambda u, info, login: next(
            (o for o in info.context.world.user_orgs(u.login) if o.login == login), None
        ),
    },
    "Organization": {
        "membersWithRole": org_members,
        "viewerIsAMember": lambda o, info: info.context.viewer.login in o.members,
    },
    "Repository": {
        "isArchived": lambda r, info: r.archived,
        "isPrivate": lambda r, info: r.private,
        "isFork": lambda r, info: False,
        "nameWithOwner": lambda r, info: r.full_name,
        "visibility": lambda r, info: "PRIVATE" if r.private else "PUBLIC",
        "defaultBranchRef": lambda r, info: Ref(f"REF_{r.id}", r.default_branch),
        "url": lambda r, info: web(info, f"/{r.full_name}"),
        "resourcePath": lambda r, info: f"/{r.full_name}",
        "pullRequests": repo_pulls,
        "pullRequest": repo_pull,
    },
    "PullRequest": {
        "state": lambda p, info: p.graphql_state,
        "isDraft": lambda p, info: p.draft,
        "closed": lambda p, info: p.state == "closed",
        "baseRefName": lambda p, info: p.base_ref,
        "headRefName": lambda p, info: p.head_ref,
        "headRefOid": lambda p, info: p.head_sha,
        "changedFiles": lambda p, info: len(p.files),
        "publishedAt": lambda p, info: iso(p.created_at),
        "repository": lambda p, info: p.repo,
        "url": lambda p, info: web(info, pr_url(p)),
        "resourcePath": lambda p, info: pr_url(p),
        "files": pr_files,
        "commits": pr_commits,
        "reviews": pr_reviews,
        "timelineItems": pr_timeline,
    },
    "PullRequestChangedFile": {"changeType": lambda f, info: PATCH_STATUS[f.status]},
    "PullRequestCommit": {
        "pullRequest": lambda pc, info: pc.pull,
        "url": lambda pc, info: web(info, f"{pr_url(pc.pull)}/commits/{pc.commit.sha}"),
        "resourcePath": lambda pc, info: f"{pr_url(pc.pull)}/commits/{pc.commit.sha}",
    },
    "Commit": {
        "oid": lambda c, info: c.sha,
        "messageHeadline": lambda c, info: c.message.split("\n", 1)[0],
        "messageBody": lambda c, info: c.message.partition("\n")[2].strip(),
        "authoredDate": lambda c, info: iso(c.author.date),
        "committedDate": lambda c, info: iso(c.committer.date),
        "url": lambda c, info: web(info, f"/commit/{c.sha}"),
        "resourcePath": lambda c, info: f"/commit/{c.sha}",
    },
    "GitActor": {
        "user": git_actor_user,
        "avatarUrl": lambda a, info, size=None: web(
            info, f"/avatars/u/{a.user.id if a.user else 0}?v=4"
        ),
    },
    "PullRequestReview": {
        "pullRequest": lambda r, info: r.pull,
        "updatedAt": lambda r, info: iso(r.submitted_at or r.created_at),
        "commit": lambda r, info: None,
        "url": lambda r, info: web(info, f"{pr_url(r.pull)}#pullrequestreview-{r.id}"),
        "resourcePath": lambda r, info: f"{pr_url(r.pull)}#pullrequestreview-{r.id}",
    },
}
for _event in ("ReadyForReviewEvent", "ConvertToDraftEvent"):
    RESOLVERS[_event] = {
        "pullRequest": lambda e, info: e.pull,
        "url": lambda e, info: web(info, f"{pr_url(e.pull)}#event-{e.id}"),
        "resourcePath": lambda e, info: f"{pr_url(e.pull)}#event-{e.id}",
    }
for _actor in ("User", "Bot", "Mannequin", "Organization"):
    RESOLVERS.setdefault(_actor, {}).update(
        {
            "login": lambda a, info: a.graphql_login,
            "databaseId": lambda a, info: a.id,
            "id": lambda a, info: a.node_id,
            "avatarUrl": avatar,
            "url": lambda a, info: web(info, account_path(a)),
            "resourcePath": lambda a, info: account_path(a),
        }
    )
for _owner in ("User", "Organization"):
    RESOLVERS[_owner].update({"repositories": owner_repositories, "repository": owner_repository})
for _typed in (
    "Repository",
    "PullRequest",
    "PullRequestReview",
    "Commit",
    "PullRequestCommit",
    "ReadyForReviewEvent",
    "ConvertToDraftEvent",
):
    RESOLVERS[_typed].setdefault("id", lambda o, info: o.node_id)
    RESOLVERS[_typed].setdefault("databaseId", lambda o, info: getattr(o, "id", None))
    # BigInt is serialised as a string, as on GitHub
    RESOLVERS[_typed].setdefault("fullDatabaseId", lambda o, info: str(o.id))


def resolve_type(obj, info, abstract_type):
    return obj.graphql_type


@cache
def schema():
    """The executable schema: SDL from schema.graphql plus the resolver table above."""
    built = build_schema((Path(__file__).parent / "schema.graphql").read_text())
    for type_name, fields in RESOLVERS.items():
        gql_type = built.type_map[type_name]
        for field_name, fn in fields.items():
            if field_name in gql_type.fields:
                gql_type.fields[field_name].resolve = fn
    for gql_type in built.type_map.values():
        if hasattr(gql_type, "resolve_type"):
            gql_type.resolve_type = resolve_type
    return built


__all__ = ["Context", "default_resolver", "schema"]
