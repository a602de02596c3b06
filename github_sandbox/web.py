"""github.com's web pages, as far as the sandbox hands out their URLs (`html_url`): a pull
request, a repository, an account. Small HTML pages, so that a link followed in the demo
opens a page about the object instead of an API error.

On github.com the web and the REST API (api.github.com) are two hosts; the sandbox serves
both from one, telling them apart by path as GitHub can: the API's first path segments
(`repos`, `users`, ...) are names no account may take.
"""

from __future__ import annotations

import re
from html import escape

from .models import Account, Organization, PullRequest, Repository
from .responses import Response
from .rest_api import ROUTES

# "" is the root, which the API answers.
API_ROOTS = {pattern.split("/")[1] for pattern, *_ in ROUTES} | {"graphql", "api", ""}
NAME = r"[^/]+"
PULL = re.compile(
    rf"^/(?P<owner>{NAME})/(?P<repo>{NAME})/pull/(?P<number>\d+)(/files|/commits)?/?$"
)
REPO = re.compile(rf"^/(?P<owner>{NAME})/(?P<repo>{NAME})/?$")
APP = re.compile(rf"^/apps/(?P<login>{NAME})/?$")  # a bot's page
ACCOUNT = re.compile(rf"^/(?P<login>{NAME})/?$")
RECENT = 30  # pull requests listed on a repository's page
STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;"
    "color:#1f2328}header{color:#59636e;border-bottom:1px solid #d1d9e0;margin-bottom:1rem}"
    ".state{display:inline-block;padding:0 .6rem;border-radius:1rem;color:#fff;"
    "background:#1f883d}.merged{background:#8250df}.closed{background:#cf222e}"
    "pre{white-space:pre-wrap;background:#f6f8fa;padding:.75rem;border-radius:6px}"
    "li{margin:.2rem 0}.muted{color:#59636e}"
)


def page(world, method: str, path: str, web: str) -> Response | None:
    """The web page at `path`, a 404 page for a web path that names nothing, or None for
    the API's paths."""
    if method not in ("GET", "HEAD") or path.split("/")[1] in API_ROOTS:
        return None
    with world.lock:
        if match := PULL.match(path):
            repo = world.repo(match["owner"], match["repo"])
            pr = repo and world.pull(repo, int(match["number"]))
            return _pull(pr, web) if pr else _not_found()
        if match := APP.match(path) or ACCOUNT.match(path):
            account = world.account(match["login"])
            return _account(account, web) if account else _not_found()
        if match := REPO.match(path):
            repo = world.repo(match["owner"], match["repo"])
            return _repository(repo, web) if repo else _not_found()
    return _not_found()


def _html(status: int, title: str, body: str) -> Response:
    text = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · GitHub sandbox</title><style>{STYLE}</style></head><body>"
        "<header>GitHub sandbox: the offline stand-in for github.com in the Tformance demo"
        f"</header><main>{body}</main></body></html>"
    )
    return Response(status, text, content_type="text/html; charset=utf-8")


def _not_found() -> Response:
    return _html(
        404, "Not Found", "<h1>Not Found</h1><p>Nothing in the sandbox has this address.</p>"
    )


def _login(account: Account | None, web: str) -> str:
    if account is None:
        return "ghost"
    return f'<a href="{escape(_account_url(account, web))}">{escape(account.login)}</a>'


def _account_url(account: Account, web: str) -> str:
    if account.kind == "Bot":
        return f"{web}/apps/{account.graphql_login}"
    return f"{web}/{account.login}"


def _state(pr: PullRequest) -> tuple[str, str]:
    if pr.merged:
        return "merged", "Merged"
    if pr.state == "closed":
        return "closed", "Closed"
    return "open", "Draft" if pr.draft else "Open"


def _when(moment) -> str:
    return moment.strftime("%-d %b %Y %H:%M UTC") if moment else ""


def _pull(pr: PullRequest, web: str) -> Response:
    repo_url = f"{web}/{pr.repo.full_name}"
    css, state = _state(pr)
    ended = (
        f" · merged {_when(pr.merged_at)}"
        if pr.merged
        else (f" · closed {_when(pr.closed_at)}" if pr.closed_at else "")
    )
    reviews = "".join(
        f"<li>{_login(r.author, web)}: {escape(r.state.replace('_', ' ').lower())}"
        f' <span class="muted">{_when(r.submitted_at)}</span></li>'
        for r in pr.reviews
    )
    body = (
        f'<p><a href="{escape(repo_url)}">{escape(pr.repo.full_name)}</a>#{pr.number}</p>'
        f"<h1>{escape(pr.title)}</h1>"
        f'<p><span class="state {css}">{state}</span> {_login(pr.author, web)} opened '
        f"{_when(pr.created_at)}{ended} · {escape(pr.head_ref)} → {escape(pr.base_ref)}</p>"
        f"<p>{len(pr.commits)} commits · {len(pr.files)} files · +{pr.additions} −{pr.deletions}"
        "</p>"
        + (f"<pre>{escape(pr.body)}</pre>" if pr.body else "")
        + (f"<h2>Reviews</h2><ul>{reviews}</ul>" if reviews else "<p>No reviews.</p>")
    )
    return _html(200, f"{pr.title} · {pr.repo.full_name}#{pr.number}", body)


def _repository(repo: Repository, web: str) -> Response:
    newest = sorted(repo.pulls, key=lambda p: p.created_at, reverse=True)[:RECENT]
    items = "".join(
        f'<li><a href="{escape(web)}/{escape(repo.full_name)}/pull/{p.number}">#{p.number}</a> '
        f'{escape(p.title)} <span class="muted">{_state(p)[1]} · {_when(p.created_at)}</span></li>'
        for p in newest
    )
    body = (
        f"<h1>{_login(repo.owner, web)} / {escape(repo.name)}</h1>"
        + (f"<p>{escape(repo.description)}</p>" if repo.description else "")
        + f"<p>{len(repo.pulls)} pull requests{' · private' if repo.private else ''}</p>"
        + f"<h2>Newest pull requests</h2><ul>{items}</ul>"
    )
    return _html(200, repo.full_name, body)


def _account(account: Account, web: str) -> Response:
    body = f"<h1>{escape(account.name or account.login)}</h1><p>{escape(account.login)}</p>"
    if isinstance(account, Organization):
        repos = "".join(
            f'<li><a href="{escape(web)}/{escape(r.full_name)}">{escape(r.full_name)}</a></li>'
            for r in account.repos
        )
        body += f"<h2>Repositories</h2><ul>{repos}</ul>"
    return _html(200, account.login, body)
