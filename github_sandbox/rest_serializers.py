"""REST JSON for accounts, orgs, repos, pulls, files, commits and reviews, as GitHub shapes them.

Every object carries `url`/`html_url` pointing at the sandbox itself (PyGithub lazily GETs
`url` when an attribute is missing), built from the base URLs the client used.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Account, Organization, Repository
from .models import iso as _iso


@dataclass
class Bases:
    api: str  # e.g. http://127.0.0.1:8765 or http://127.0.0.1:8765/api/v3
    web: str  # e.g. http://127.0.0.1:8765


# Reference: https://docs.github.com/rest/users/users#get-a-user
def simple_user(a: Account | None, b: Bases) -> dict | None:
    if a is None:
        return None
    u = f"{b.api}/users/{a.login}"
    return {
        "login": a.login,
        "id": a.id,
        "node_id": a.node_id,
        "avatar_url": f"{b.web}/avatars/u/{a.id}?v=4",
        "gravatar_id": "",
        "url": u,
        "html_url": f"{b.web}/apps/{a.graphql_login}" if a.kind == "Bot" else f"{b.web}/{a.login}",
        "followers_url": f"{u}/followers",
        "following_url": f"{u}/following{{/other_user}}",
        "gists_url": f"{u}/gists{{/gist_id}}",
        "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{u}/subscriptions",
        "organizations_url": f"{u}/orgs",
        "repos_url": f"{u}/repos",
        "events_url": f"{u}/events{{/privacy}}",
        "received_events_url": f"{u}/received_events",
        "type": a.kind,
        "user_view_type": "public",
        "site_admin": False,
    }


def full_user(a: Account, b: Bases, world, private: bool = False) -> dict:
    data = simple_user(a, b) | {
        "name": a.name,
        "company": a.company,
        "blog": "",
        "location": a.location,
        "email": a.email,
        "hireable": None,
        "bio": a.bio,
        "twitter_username": None,
        "notification_email": a.email,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": _iso(a.created_at),
        "updated_at": _iso(a.updated_at),
    }
    if private:
        data |= {
            "private_gists": 0,
            "total_private_repos": 0,
            "owned_private_repos": 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
            "plan": {
                "name": "free",
                "space": 976562499,
                "collaborators": 0,
                "private_repos": 10000,
            },
        }
    return data


# Reference: https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user
def simple_org(o: Organization, b: Bases) -> dict:
    u = f"{b.api}/orgs/{o.login}"
    return {
        "login": o.login,
        "id": o.id,
        "node_id": o.node_id,
        "url": u,
        "repos_url": f"{u}/repos",
        "events_url": f"{u}/events",
        "hooks_url": f"{u}/hooks",
        "issues_url": f"{u}/issues",
        "members_url": f"{u}/members{{/member}}",
        "public_members_url": f"{u}/public_members{{/member}}",
        "avatar_url": f"{b.web}/avatars/u/{o.id}?v=4",
        "description": o.description,
    }


# Reference: https://docs.github.com/rest/orgs/orgs#get-an-organization
def full_org(o: Organization, b: Bases, member: bool) -> dict:
    public = [r for r in o.repos if not r.private]
    data = simple_org(o, b) | {
        "name": o.name,
        "company": None,
        "blog": f"https://{o.login}.dev",
        "location": None,
        "email": o.email,
        "twitter_username": None,
        "is_verified": False,
        "has_organization_projects": True,
        "has_repository_projects": True,
        "public_repos": len(public),
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "html_url": f"{b.web}/{o.login}",
        "created_at": _iso(o.created_at),
        "updated_at": _iso(o.updated_at),
        "archived_at": None,
        "type": "Organization",
    }
    if member:
        private = len(o.repos) - len(public)
        data |= {
            "total_private_repos": private,
            "owned_private_repos": private,
            "collaborators": 0,
            "members_can_create_repositories": True,
            "two_factor_requirement_enabled": True,
        }
    return data


# The repository's API URL templates, as suffixes of its own API URL.
REPO_URL_TEMPLATES = {
    "forks_url": "/forks",
    "keys_url": "/keys{/key_id}",
    "collaborators_url": "/collaborators{/collaborator}",
    "teams_url": "/teams",
    "hooks_url": "/hooks",
    "issue_events_url": "/issues/events{/number}",
    "events_url": "/events",
    "assignees_url": "/assignees{/user}",
    "branches_url": "/branches{/branch}",
    "tags_url": "/tags",
    "blobs_url": "/git/blobs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "trees_url": "/git/trees{/sha}",
    "statuses_url": "/statuses/{sha}",
    "languages_url": "/languages",
    "stargazers_url": "/stargazers",
    "contributors_url": "/contributors",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "commits_url": "/commits{/sha}",
    "git_commits_url": "/git/commits{/sha}",
    "comments_url": "/comments{/number}",
    "issue_comment_url": "/issues/comments{/number}",
    "contents_url": "/contents/{+path}",
    "compare_url": "/compare/{base}...{head}",
    "merges_url": "/merges",
    "archive_url": "/{archive_format}{/ref}",
    "downloads_url": "/downloads",
    "issues_url": "/issues{/number}",
    "pulls_url": "/pulls{/number}",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "labels_url": "/labels{/name}",
    "releases_url": "/releases{/id}",
    "deployments_url": "/deployments",
}


# Reference: https://docs.github.com/rest/repos/repos#get-a-repository
def repo_json(r: Repository, b: Bases, admin: bool = False) -> dict:
    u = f"{b.api}/repos/{r.full_name}"
    open_prs = sum(1 for p in r.pulls if p.state == "open")
    return {
        "id": r.id,
        "node_id": r.node_id,
        "name": r.name,
        "full_name": r.full_name,
        "private": r.private,
        "owner": simple_user(r.owner, b),
        "html_url": f"{b.web}/{r.full_name}",
        "description": r.description,
        "fork": False,
        "url": u,
        **{k: u + v for k, v in REPO_URL_TEMPLATES.items()},
        "created_at": _iso(r.created_at),
        "updated_at": _iso(r.updated_at),
        "pushed_at": _iso(r.pushed_at),
        **clone_urls(r, b),
        "homepage": None,
        "size": 1024 + 37 * len(r.pulls),
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": r.language,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": False,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": r.archived,
        "disabled": False,
        "open_issues_count": open_prs,
        "license": None,
        "allow_forking": not r.private,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": [],
        "visibility": "private" if r.private else "public",
        "forks": 0,
        "open_issues": open_prs,
        "watchers": 0,
        "default_branch": r.default_branch,
        "permissions": permissions(admin),
    }


def clone_urls(r: Repository, b: Bases) -> dict:
    host = b.web.split("://", 1)[-1]
    return {
        "git_url": f"git://{host}/{r.full_name}.git",
        "ssh_url": f"git@{host}:{r.full_name}.git",
        "clone_url": f"{b.web}/{r.full_name}.git",
        "svn_url": f"{b.web}/{r.full_name}",
    }


def permissions(admin: bool) -> dict:
    return {"admin": admin, "maintain": admin, "push": True, "triage": True, "pull": True}
