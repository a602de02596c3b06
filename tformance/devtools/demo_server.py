"""`manage.py demo`'s run: the sandbox in a thread, workers and scheduler, then runserver."""

import os
import signal
import subprocess
import sys
import threading
from typing import TextIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.color import color_style
from dramatiq_crontab import scheduler

from github_sandbox.testing import SandboxHandle, run_sandbox
from tformance.core.queue import in_process_worker_stop
from tformance.devtools.demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    demo_point_at_sandbox,
    demo_slack_webhook_url,
    demo_team_onboard,
    demo_user_ensure,
)


def demo_serve(
    *,
    onboarded: bool,
    host: str,
    port: int,
    sandbox_port: int,
    prs: int,
    repos: int,
    months: int,
    out: TextIO,
) -> None:
    """Run the whole product offline until Ctrl-C or SIGTERM."""
    # Ctrl-C, and SIGTERM from a supervisor or a script, stop everything below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    call_command("migrate", interactive=False, verbosity=0)
    children: list[subprocess.Popen] = []
    sandbox_args = {"port": sandbox_port, "prs": prs, "repos": repos, "months": months}
    with run_sandbox(**sandbox_args) as sandbox:
        # OAuth sends the browser back to SITE_URL: this demo's own address.
        settings.SITE_URL = f"http://{host}:{port}"
        github_env = {**demo_point_at_sandbox(sandbox=sandbox), "SITE_URL": settings.SITE_URL}
        user = demo_user_ensure()
        if settings.REDIS_URL:
            children = _processes_start(github_env)
        else:
            _in_process_scheduler_start()
        if onboarded:
            team = demo_team_onboard(
                user=user,
                token=sandbox.token,
                jira=sandbox.jira,
                slack_webhook_url=demo_slack_webhook_url(sandbox=sandbox),
            )
            where = f"/t/{team.slug}/"
        else:
            where = "/onboarding/"
        out.write(_banner(sandbox=sandbox, host=host, port=port, where=where, children=children))
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(15)
            in_process_worker_stop(final=True)
    out.write("Demo stopped.\n")


def _processes_start(github_env) -> list[subprocess.Popen]:
    """With Redis: a real worker process and the scheduler, as in production."""
    env = {**os.environ, **github_env}
    manage = [sys.executable, "manage.py"]
    # Their own sessions keep the terminal's Ctrl-C from reaching them: this command
    # stops them with one SIGTERM each. A second signal would make dramatiq kill its
    # worker mid-message and the scheduler fail while it releases its lock.
    return [
        subprocess.Popen(
            [*manage, "rundramatiq", "--processes", "1", "--threads", "4"],
            env=env,
            start_new_session=True,
        ),
        subprocess.Popen([*manage, "crontab"], env=env, start_new_session=True),
    ]


def _in_process_scheduler_start() -> None:
    """Without Redis: the nightly schedule runs in a thread of this process (the cron jobs
    are registered: CoreConfig.ready loads every tasks module)."""
    threading.Thread(target=scheduler.start, name="demo-scheduler", daemon=True).start()


def _banner(*, sandbox: SandboxHandle, host: str, port: int, where: str, children) -> str:
    workers = "worker process + scheduler on Redis" if children else "in-process worker"
    return (
        color_style().SUCCESS("\nTformance demo is running\n")
        + f"  open      http://{host}:{port}{where}\n"
        + f"  log in    {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        + f"  GitHub    offline sandbox at {sandbox.url} (organisation 'acme')\n"
        + (
            f"  Jira      site {sandbox.jira.url}, {sandbox.jira.email}, "
            f"API token {sandbox.jira.api_token}\n"
            if sandbox.jira
            else ""
        )
        + f"  Slack     webhook {demo_slack_webhook_url(sandbox=sandbox)}\n"
        + f"            its posts at {sandbox.url}/_sandbox/slack\n"
        + f"  database  {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {workers}\n"
        + "  stop      Ctrl-C\n"
    )
