"""REST endpoints (github.com style at the root, Enterprise style under /api/v3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import rest_pulls_json as pj
from . import rest_serializers as ser
from .pagination import rest_page
from .responses import Response, error, not_found

ORG_SCOPES = "admin:org, read:org, repo, user, write:org"
DOC = "https://docs.github.com/rest"


@dataclass
class RestRequest:
    method: str
    path: str  # without the /api/v3 prefix
    query: dict
    token: object
    viewer: object
    bases: ser.Bases
    world: object
    auth: object
    faults: object

    @property
    def url(self) -> str:
        return self.bases.api + self.path

    def page(self, items: list, cap: int | None = None):
        chunk, link = rest_page(items, self.query, self.url, cap=cap)
        return chunk, ({"Link": link} if link else {})

    def can_see(self, repo) -> bool:
        if not repo.private:
            return True
        return self.token.has("repo") and self.viewer.login in repo.owner.members

    def find_repo(self, owner: str, name: str):
        repo = self.world.repo(owner, name)
        return repo if repo is not None and self.can_see(repo) else None


ROUTES: list[tuple[str, re.Pattern, object, str, str]] = []


def route(pattern: str, doc: str, scopes: str = ""):
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def register(fn):
        ROUTES.append((pattern, regex, fn, doc, scopes))
        return fn

    return register


def dispatch(req: RestRequest) -> tuple[Response, str | None]:
    """Finds the route; returns the response and the endpoint template (for stats)."""
    for pattern, regex, fn, doc, scopes in ROUTES:
        match = regex.match(req.path)
        if match:
            if req.method not in ("GET", "HEAD"):
                return error(404, "Not Found", doc), None
            response = fn(req, doc=doc, **match.groupdict())
            response.headers.setdefault("X-Accepted-OAuth-Scopes", scopes)
            return response, f"GET {pattern}"
    return not_found(DOC), None


# Reference: https://docs.github.com/rest/users/users#get-the-authenticated-user
@route("/user", "https://docs.github.com/rest/users/users#get-the-authenticated-user")
def get_viewer(req, doc):
    return Response(200, ser.full_user(req.viewer, req.bases, req.world, private=True))


# Reference: https://docs.github.com/rest/users/users#get-a-user
@route("/users/{login}", "https://docs.github.com/rest/users/users#get-a-user")
def get_user(req, doc, login):
    account = req.world.account(login)
    if account is None:
        return not_found(doc)
    if account.kind == "Organization":
        return Response(200, ser.full_org(account, req.bases, False))
    return Response(200, ser.full_user(account, req.bases, req.world))


# Reference: https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user
@route(
    "/user/orgs",
    "https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user",
    ORG_SCOPES,
)
def list_viewer_orgs(req, doc):
    if not req.token.has("read:org", "user", "admin:org", "write:org"):
        return error(
            403, "You need at least read:org scope or user scope to list your organizations.", doc
        )
    chunk, headers = req.page(req.world.user_orgs(req.viewer.login))
    return Response(200, [ser.simple_org(o, req.bases) for o in chunk], headers)


# Reference: https://docs.github.com/rest/orgs/orgs#get-an-organization
@route("/orgs/{org}", "https://docs.github.com/rest/orgs/orgs#get-an-organization", ORG_SCOPES)
def get_org(req, doc, org):
    found = req.world.org(org)
    if found is None:
        return not_found(doc)
    return Response(200, ser.full_org(found, req.bases, req.viewer.login in found.members))


# Reference: https://docs.github.com/rest/orgs/members#list-organization-members
@route(
    "/orgs/{org}/members",
    "https://docs.github.com/rest/orgs/members#list-organization-members",
    ORG_SCOPES,
)
def list_members(req, doc, org):
    found = req.world.org(org)
    if found is None:
        return not_found(doc)
    if req.viewer.login not in found.members:
        # Non-members are redirected to the public member list.
        return Response(
            302, None, {"Location": f"{req.bases.api}/orgs/{found.login}/public_members"}
        )
    role = req.query.get("role", "all")
    if role not in ("all", "admin", "member"):
        return error(422, "Invalid request.\n\nFor 'role', is not one of all, admin, member.", doc)
    members = req.world.org_members(found.login)
    if not req.token.has("read:org"):
        # Without read:org a classic token cannot see concealed memberships.
        members = [m for m in members if m.login in found.public_members]
    if role != "all":
        members = [m for m in members if found.members[m.login] == role]
    chunk, headers = req.page(members)
    return Response(200, [ser.simple_user(m, req.bases) for m in chunk], headers)


# Reference: https://docs.github.com/rest/orgs/members#list-public-organization-members
@route(
    "/orgs/{org}/public_members",
    "https://docs.github.com/rest/orgs/members#list-public-organization-members",
)
def list_public_members(req, doc, org):
    found = req.world.org(org)
    if found is None:
        return not_found(doc)
    members = [m for m in req.world.org_members(found.login) if m.login in found.public_members]
    chunk, headers = req.page(members)
    return Response(200, [ser.simple_user(m, req.bases) for m in chunk], headers)


# Reference: https://docs.github.com/rest/repos/repos#list-organization-repositories
@route(
    "/orgs/{org}/repos",
    "https://docs.github.com/rest/repos/repos#list-organization-repositories",
    "repo",
)
def list_org_repos(req, doc, org):
    found = req.world.org(org)
    if found is None:
        return not_found(doc)
    kind = req.query.get("type", "all")
    repos = [r for r in found.repos if req.can_see(r)]
    if kind == "public":
        repos = [r for r in repos if not r.private]
    elif kind == "private":
        repos = [r for r in repos if r.private]
    elif kind == "forks":
        repos = []
    sort = req.query.get("sort", "created")
    keys = {
        "created": lambda r: r.created_at,
        "updated": lambda r: r.updated_at,
        "pushed": lambda r: r.pushed_at,
        "full_name": lambda r: r.full_name.lower(),
    }
    if sort not in keys:
        sort = "created"
    direction = req.query.get("direction", "asc" if sort == "full_name" else "desc")
    repos.sort(key=keys[sort], reverse=direction == "desc")
    chunk, headers = req.page(repos)
    admin = found.members.get(req.viewer.login) == "admin"
    return Response(200, [ser.repo_json(r, req.bases, admin) for r in chunk], headers)


# Reference: https://docs.github.com/rest/repos/repos#get-a-repository
@route("/repos/{owner}/{repo}", "https://docs.github.com/rest/repos/repos#get-a-repository", "repo")
def get_repo(req, doc, owner, repo):
    found = req.find_repo(owner, repo)
    if found is None:
        return not_found(doc)
    admin = found.owner.members.get(req.viewer.login) == "admin"
    return Response(200, ser.repo_json(found, req.bases, admin))


# Reference: https://docs.github.com/rest/pulls/pulls#list-pull-requests
@route(
    "/repos/{owner}/{repo}/pulls",
    "https://docs.github.com/rest/pulls/pulls#list-pull-requests",
    "repo",
)
def list_pulls(req, doc, owner, repo):
    found = req.find_repo(owner, repo)
    if found is None:
        return not_found(doc)
    state = req.query.get("state", "open")
    pulls = [p for p in found.pulls if state == "all" or p.state == state]
    if req.query.get("base"):
        pulls = [p for p in pulls if p.base_ref == req.query["base"]]
    if req.query.get("head"):
        head = req.query["head"].split(":")[-1]
        pulls = [p for p in pulls if p.head_ref == head]
    sort = req.query.get("sort", "created")
    key = {
        "updated": lambda p: (p.updated_at, p.id),
        "popularity": lambda p: (p.comments, p.id),
        "long-running": lambda p: (p.created_at, p.id),
    }.get(sort, lambda p: (p.created_at, p.id))
    pulls.sort(key=key, reverse=req.query.get("direction", "desc") == "desc")
    chunk, headers = req.page(pulls)
    return Response(200, [pj.pull_json(p, req.bases, full=False) for p in chunk], headers)


def find_pull(req, owner, repo, number):
    found = req.find_repo(owner, repo)
    if found is None or not number.isdigit():
        return None
    return req.world.pull(found, int(number))


# Reference: https://docs.github.com/rest/pulls/pulls#get-a-pull-request
@route(
    "/repos/{owner}/{repo}/pulls/{number}",
    "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
    "repo",
)
def get_pull(req, doc, owner, repo, number):
    pr = find_pull(req, owner, repo, number)
    return not_found(doc) if pr is None else Response(200, pj.pull_json(pr, req.bases))


# Reference: https://docs.github.com/rest/pulls/pulls#list-pull-requests-files
# "Responses include a maximum of 3000 files."
@route(
    "/repos/{owner}/{repo}/pulls/{number}/files",
    "https://docs.github.com/rest/pulls/pulls#list-pull-requests-files",
    "repo",
)
def list_files(req, doc, owner, repo, number):
    pr = find_pull(req, owner, repo, number)
    if pr is None:
        return not_found(doc)
    chunk, headers = req.page(pr.files, cap=3000)
    return Response(200, [pj.file_json(f, pr, req.bases) for f in chunk], headers)


# Reference: https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request
# "Lists a maximum of 250 commits for a pull request."
@route(
    "/repos/{owner}/{repo}/pulls/{number}/commits",
    "https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request",
    "repo",
)
def list_commits(req, doc, owner, repo, number):
    pr = find_pull(req, owner, repo, number)
    if pr is None:
        return not_found(doc)
    chunk, headers = req.page(pr.commits, cap=250)
    return Response(200, [pj.commit_json(c, pr, req.bases) for c in chunk], headers)


# Reference: https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request
@route(
    "/repos/{owner}/{repo}/pulls/{number}/reviews",
    "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request",
    "repo",
)
def list_reviews(req, doc, owner, repo, number):
    pr = find_pull(req, owner, repo, number)
    if pr is None:
        return not_found(doc)
    chunk, headers = req.page(pr.reviews)
    return Response(200, [pj.review_json(r, req.bases) for r in chunk], headers)


# Reference: https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user
@route("/rate_limit", "https://docs.github.com/rest/rate-limit/rate-limit")
def get_rate_limit(req, doc):
    f, login = req.faults, req.viewer.login

    def status(resource, limit):
        limit, remaining, used, reset = req.auth.status(
            login, resource, limit, f.window_seconds, f.window_from_exhaustion
        )
        return {"limit": limit, "used": used, "remaining": remaining, "reset": reset}

    core, graphql = status("core", f.rest_budget), status("graphql", f.graphql_budget)
    resources = {
        "core": core,
        "search": status("search", 30),
        "graphql": graphql,
        "integration_manifest": status("integration_manifest", 5000),
        "code_search": status("code_search", 10),
    }
    return Response(200, {"resources": resources, "rate": core})
