"""`make demo ONBOARDED=1` brings the product up offline; the demo user sees synced PRs."""

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.workers import wait_until
from tformance.core.demo import DEMO_EMAIL, DEMO_PASSWORD

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


def test_the_demo_serves_a_synced_dashboard_to_the_demo_user(tmp_path, browser_page, artifacts):
    port, sandbox_port = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    log = open(tmp_path / "demo.log", "wb")
    demo = subprocess.Popen(
        ["make", "demo", "ONBOARDED=1", f"PORT={port}", f"SANDBOX_PORT={sandbox_port}"],
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
            what=lambda: f"the demo to serve (log:\n{(tmp_path / 'demo.log').read_text()[-3000:]})",
        )
        page = browser_page
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", DEMO_EMAIL)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form [type=submit]")
        page.wait_for_load_state()

        def synced_prs() -> int:
            """PRs on the dashboard once every repository has finished syncing."""
            page.goto(f"{base}/t/acme-corp/")
            if "Syncing" in page.content():
                return 0
            count = page.locator("[data-testid=pr-count]").first.inner_text().replace(",", "")
            return int(count) if count.strip().isdigit() else 0

        assert wait_until(synced_prs, timeout=180, interval=2, what="synced PRs on the dashboard")
        page.screenshot(path=artifacts / "demo-dashboard.png", full_page=True)
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(30)
        log.close()

    # Ctrl-C (here SIGTERM) stops everything it started: web app, workers and sandbox.
    wait_until(
        lambda: (
            not answers(f"{base}/healthz")
            and not answers(f"http://127.0.0.1:{sandbox_port}/_sandbox/stats")
        ),
        timeout=30,
        what="the demo to stop",
    )
