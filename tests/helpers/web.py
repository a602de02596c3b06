"""Requests and browser pages in tests: htmx's header, a signed-in browser, a watched page."""

import pytest
from django.conf import settings
from django.test import Client

HTMX = {"HTTP_HX_REQUEST": "true"}


def browser_login(page, live_server, user) -> None:
    """Sign `user` in to the browser through a real session cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


# Reports every violation to the test, whichever page it happens on.
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber} (${e.sample})`);
});
"""


@pytest.fixture
def watched_page(browser_page):
    """The browser page, with a list of the CSP violations, console errors and page errors."""
    problems = []
    browser_page.expose_function("reportCspViolation", lambda text: problems.append(text))
    browser_page.add_init_script(WATCH_VIOLATIONS)
    browser_page.on(
        "console", lambda m: m.type == "error" and problems.append(f"console: {m.text}")
    )
    browser_page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    browser_page.on(
        "response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}")
    )
    browser_page.problems = problems
    return browser_page
