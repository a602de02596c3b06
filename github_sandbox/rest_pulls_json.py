"""REST JSON for pull requests and their files, commits and reviews."""

from __future__ import annotations

from urllib.parse import quote

from .models import Account, ChangedFile, Commit, PullRequest, Repository, Review
from .models import iso as _iso
from .rest_serializers import Bases, repo_json, simple_user


def _branch(pr: PullRequest, ref: str, sha: str, b: Bases) -> dict:
    return {
        "label": f"{pr.repo.owner.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": simple_user(pr.repo.owner, b),
        "repo": repo_json(pr.repo, b),
    }


# Reference: https://docs.github.com/rest/pulls/pulls#get-a-pull-request
def pull_json(pr: PullRequest, b: Bases, full: bool = True) -> dict:
    r = f"{b.api}/repos/{pr.repo.full_name}"
    u, html = f"{r}/pulls/{pr.number}", f"{b.web}/{pr.repo.full_name}/pull/{pr.number}"
    issue = f"{r}/issues/{pr.number}"
    data = {
        "url": u,
        "id": pr.id,
        "node_id": pr.node_id,
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue,
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": simple_user(pr.author, b),
        "body": pr.body,
        "created_at": _iso(pr.created_at),
        "updated_at": _iso(pr.updated_at),
        "closed_at": _iso(pr.closed_at),
        "merged_at": _iso(pr.merged_at),
        "merge_commit_sha": pr.merge_commit_sha,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [label_json(name, r) for name in pr.labels],
        "milestone": None,
        "draft": pr.draft,
        "commits_url": f"{u}/commits",
        "review_comments_url": f"{u}/comments",
        "review_comment_url": f"{r}/pulls/comments{{/number}}",
        "comments_url": f"{issue}/comments",
        "statuses_url": f"{r}/statuses/{pr.head_sha}",
        "head": _branch(pr, pr.head_ref, pr.head_sha, b),
        "base": _branch(pr, pr.base_ref, pr.commits[0].parents[0] if pr.commits else "", b),
        "_links": links_json(pr, r, u, html, issue),
        "author_association": author_association(pr.author, pr.repo),
        "auto_merge": None,
        "active_lock_reason": None,
    }
    if full:
        data |= merge_and_counts_json(pr, b)
    return data


def label_json(name: str, repo_url: str) -> dict:
    return {
        "id": abs(hash(name)) % 10**9,
        "node_id": f"LA_{name}",
        "url": f"{repo_url}/labels/{name}",
        "name": name,
        "color": "0366d6",
        "default": False,
        "description": None,
    }


def links_json(pr: PullRequest, repo_url: str, url: str, html: str, issue: str) -> dict:
    hrefs = {
        "self": url,
        "html": html,
        "issue": issue,
        "comments": f"{issue}/comments",
        "review_comments": f"{url}/comments",
        "review_comment": f"{repo_url}/pulls/comments{{/number}}",
        "commits": f"{url}/commits",
        "statuses": f"{repo_url}/statuses/{pr.head_sha}",
    }
    return {k: {"href": v} for k, v in hrefs.items()}


def merge_and_counts_json(pr: PullRequest, b: Bases) -> dict:
    """What GitHub adds when it serves one pull request (not in a list of them)."""
    closed = pr.state == "closed"
    return {
        "merged": pr.merged,
        "mergeable": None if closed else True,
        "rebaseable": None if closed else True,
        "mergeable_state": "unknown" if closed else "clean",
        "merged_by": simple_user(pr.merged_by, b),
        "comments": pr.comments,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": len(pr.commits),
        "additions": pr.additions,
        "deletions": pr.deletions,
        "changed_files": len(pr.files),
    }


def author_association(a: Account | None, repo: Repository) -> str:
    if a is None:
        return "NONE"
    return "MEMBER" if a.login in repo.owner.members else "CONTRIBUTOR"


# Reference: https://docs.github.com/rest/pulls/pulls#list-pull-requests-files
def file_json(f: ChangedFile, pr: PullRequest, b: Bases) -> dict:
    path = quote(f.path)
    data = {
        "sha": f.sha,
        "filename": f.path,
        "status": f.status,
        "additions": f.additions,
        "deletions": f.deletions,
        "changes": f.additions + f.deletions,
        "blob_url": f"{b.web}/{pr.repo.full_name}/blob/{pr.head_sha}/{path}",
        "raw_url": f"{b.web}/{pr.repo.full_name}/raw/{pr.head_sha}/{path}",
        "contents_url": f"{b.api}/repos/{pr.repo.full_name}/contents/{path}?ref={pr.head_sha}",
    }
    if not f.binary:  # GitHub omits `patch` for binary files
        data["patch"] = f"@@ -1,{f.deletions} +1,{f.additions} @@\n" + "\n".join(
            ["-old line"] * min(f.deletions, 3) + ["+new line"] * min(f.additions, 3)
        )
    if f.previous_path:
        data["previous_filename"] = f.previous_path
    return data


# Reference: https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request
def commit_json(c: Commit, pr: PullRequest, b: Bases) -> dict:
    r = f"{b.api}/repos/{pr.repo.full_name}"

    def person(actor):
        return {"name": actor.name, "email": actor.email, "date": _iso(actor.date)}

    def gh_user(actor):
        return simple_user(actor.user, b) if actor.user is not None else None

    return {
        "sha": c.sha,
        "node_id": c.node_id,
        "commit": {
            "author": person(c.author),
            "committer": person(c.committer),
            "message": c.message,
            "tree": {"sha": c.sha[::-1], "url": f"{r}/git/trees/{c.sha[::-1]}"},
            "url": f"{r}/git/commits/{c.sha}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "url": f"{r}/commits/{c.sha}",
        "html_url": f"{b.web}/{pr.repo.full_name}/commit/{c.sha}",
        "comments_url": f"{r}/commits/{c.sha}/comments",
        "author": gh_user(c.author),
        "committer": gh_user(c.committer)
        if c.committer.name != "GitHub"
        else {**simple_user(Account(19864447, "web-flow", "User"), b)},
        "parents": [
            {
                "sha": p,
                "url": f"{r}/commits/{p}",
                "html_url": f"{b.web}/{pr.repo.full_name}/commit/{p}",
            }
            for p in c.parents
        ],
    }


# Reference: https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request
def review_json(rv: Review, b: Bases) -> dict:
    pr = rv.pull
    html = f"{b.web}/{pr.repo.full_name}/pull/{pr.number}#pullrequestreview-{rv.id}"
    pr_url = f"{b.api}/repos/{pr.repo.full_name}/pulls/{pr.number}"
    return {
        "id": rv.id,
        "node_id": rv.node_id,
        "user": simple_user(rv.author, b),
        "body": rv.body,
        "state": rv.state,
        "html_url": html,
        "pull_request_url": pr_url,
        "author_association": author_association(rv.author, pr.repo),
        "_links": {"html": {"href": html}, "pull_request": {"href": pr_url}},
        "submitted_at": _iso(rv.submitted_at),
        "commit_id": rv.commit_id,
    }
