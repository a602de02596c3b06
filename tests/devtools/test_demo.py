"""`make demo` brings the product up offline: the demo user either walks the real wizard
(OAuth against the sandbox) or, with ONBOARDED=1, lands on a dashboard synced through the
real pipeline. Ctrl-C (here SIGTERM) stops everything it started."""

import os
import re
import signal
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.helpers.workers import wait_until
from tformance.devtools.demo import DEMO_EMAIL, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def running_demo(tmp_path, *, onboarded: bool):
    """`make demo` in its own process group; yields the app's base URL and the sandbox's."""
    port, sandbox_port = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    args = ["make", "demo", f"PORT={port}", f"SANDBOX_PORT={sandbox_port}"]
    log_path = tmp_path / "demo.log"
    with open(log_path, "wb") as log:
        demo = subprocess.Popen(
            [*args, *(["ONBOARDED=1"] if onboarded else [])],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(
                lambda: answers(f"{base}/healthz"),
                timeout=120,
                what=lambda: f"the demo to serve (log:\n{log_path.read_text()[-3000:]})",
            )
            yield base, f"http://127.0.0.1:{sandbox_port}"
        finally:
            os.killpg(demo.pid, signal.SIGTERM)
            demo.wait(30)
    wait_until(
        lambda: (
            not answers(f"{base}/healthz")
            and not answers(f"http://127.0.0.1:{sandbox_port}/_sandbox/stats")
        ),
        timeout=30,
        what="the demo to stop",
    )


def log_in(page, base) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state()


def dashboard_pr_count(page, base) -> int:
    """PRs on the dashboard once every repository has finished syncing (else 0)."""
    page.goto(f"{base}/t/acme-corp/")
    if "Syncing" in page.content():
        return 0
    count = page.locator("[data-testid=pr-count]").first.inner_text().replace(",", "")
    return int(count) if count.strip().isdigit() else 0


def test_the_onboarded_demo_serves_a_synced_dashboard_to_the_demo_user(
    tmp_path, browser_page, artifacts
):
    with running_demo(tmp_path, onboarded=True) as (base, sandbox):
        log_in(browser_page, base)

        assert wait_until(
            lambda: dashboard_pr_count(browser_page, base),
            timeout=180,
            interval=2,
            what="synced PRs on the dashboard",
        )
        browser_page.screenshot(path=artifacts / "demo-dashboard.png", full_page=True)

        # Jira, connected to the sandbox's site: its numbers once its projects synced.
        def jira_linked():
            browser_page.goto(f"{base}/t/acme-corp/jira/?range=180")
            value = browser_page.get_by_test_id("jira-linked").locator(".kpi-value")
            return value.count() and value.inner_text().strip() not in ("", "—")

        assert wait_until(jira_linked, timeout=120, interval=2, what="Jira numbers on its page")
        assert "Not synced yet" not in browser_page.content()
        browser_page.screenshot(path=artifacts / "demo-jira.png", full_page=True)

        # Slack, connected to the sandbox's webhook: the first digest once the history is in.
        def digest_posted():
            browser_page.goto(f"{sandbox}/_sandbox/slack")
            return "Weekly digest: " in browser_page.content()

        assert wait_until(digest_posted, timeout=60, interval=2, what="the digest in Slack")
        assert "Tformance is connected" in browser_page.content()
        browser_page.screenshot(path=artifacts / "demo-slack.png", full_page=True)


def test_the_demo_user_connects_github_through_the_real_wizard(tmp_path, browser_page, artifacts):
    page = browser_page
    with running_demo(tmp_path, onboarded=False) as (base, _sandbox):
        log_in(page, base)
        page.goto(f"{base}/onboarding/")
        page.get_by_test_id("connect-github").click()  # OAuth against the sandbox

        expect(page.get_by_role("heading", name="Choose the organisation")).to_be_visible()
        page.get_by_label("acme", exact=True).check()
        page.get_by_role("button", name="Create the team").click()
        expect(page.get_by_test_id("repo-list")).to_be_visible()
        page.get_by_role("button", name="Select all").click()
        page.get_by_test_id("repos-submit").click()
        expect(page.get_by_role("heading", name="Importing your history")).to_be_visible()
        expect(page.locator("tr[data-repository]").first).to_contain_text(
            re.compile("Complete"), timeout=120_000
        )
        page.screenshot(path=artifacts / "demo-wizard-sync.png", full_page=True)

        assert wait_until(
            lambda: dashboard_pr_count(page, base),
            timeout=180,
            interval=2,
            what="synced PRs on the dashboard",
        )
