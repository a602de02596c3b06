"""The sandbox's command line: `python -m github_sandbox` and `manage.py github_sandbox`."""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TextIO

from .control import describe
from .faults import Faults
from .populate import SHAPES
from .testing import run_sandbox


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prs", type=int, default=600)
    parser.add_argument("--repos", type=int, default=5)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--now", help="ISO timestamp anchoring the data (default: now)")
    parser.add_argument(
        "--giant-pr",
        action="store_true",
        help="add a 3,050-file / 260-commit PR to the hard cases",
    )
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="default",
        help="real: PR histories shaped like a large open-source Django application's "
        "(github_sandbox/shape.py), with the hard cases beside them",
    )
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--graphql-502-above-nodes", type=int, default=None)
    parser.add_argument("--secondary-limit-every", type=int, default=None)
    parser.add_argument("--rest-budget", type=int, default=5000)
    parser.add_argument("--graphql-budget", type=int, default=5000)
    parser.add_argument("--window-seconds", type=int, default=3600)
    parser.add_argument(
        "--window-from-exhaustion",
        action="store_true",
        help="a budget window resets --window-seconds after it runs out (not after it starts)",
    )
    parser.add_argument(
        "--jira-rate-limit-every",
        type=int,
        default=None,
        help="every Nth authenticated Jira request gets a 429 with Retry-After",
    )
    parser.add_argument("--jira-retry-after", type=int, default=5)


def serve(options: Mapping[str, Any], *, out: TextIO) -> None:
    """Serve a sandbox built from the parsed `options` until Ctrl-C."""
    faults = Faults(
        latency_ms=options["latency_ms"],
        error_rate_502=options["error_rate"],
        graphql_502_above_nodes=options["graphql_502_above_nodes"],
        secondary_limit_every=options["secondary_limit_every"],
        rest_budget=options["rest_budget"],
        graphql_budget=options["graphql_budget"],
        window_seconds=options["window_seconds"],
        window_from_exhaustion=options["window_from_exhaustion"],
        jira_rate_limit_every=options.get("jira_rate_limit_every"),
        jira_retry_after=options.get("jira_retry_after", 5),
        seed=options["seed"],
    )
    now = datetime.fromisoformat(options["now"]) if options["now"] else None
    with run_sandbox(
        seed=options["seed"],
        now=now,
        faults=faults,
        host=options["host"],
        port=options["port"],
        prs=options["prs"],
        repos=options["repos"],
        months=options["months"],
        include_giant_pr=options["giant_pr"],
        shape=options["shape"],
    ) as gh:
        # The world is built and lives as long as the process: the collector need not walk
        # its objects again every time an answer's garbage is collected.
        gc.collect()
        gc.freeze()
        info = describe(gh.world)
        out.write(
            f"GitHub sandbox on {gh.url}\n"
            f"  web / OAuth      {gh.url}/login/oauth/authorize\n"
            f"  REST (github.com) {gh.api_url}   GraphQL {gh.graphql_url}\n"
            f"  REST (Enterprise) {gh.enterprise_api_url}   "
            f"GraphQL {gh.enterprise_graphql_url}\n"
            f"  control          {gh.url}/_sandbox/stats | faults | changes "
            f"| token | world\n"
            f"  Slack webhooks   {gh.slack.webhook_url_prefix}T…/B…/…   "
            f"posts {gh.url}/_sandbox/slack\n"
            f"  token ({info['viewer_login']}): {gh.token}\n"
            f"  Jira site        {gh.jira.url}   REST {gh.jira.url}/rest/api/3\n"
            f"  Jira login       {gh.jira.email}   API token: {gh.jira.api_token}\n"
            f"  repos: {info['repos']}\n  hard cases: {info['hard_cases']}\n"
        )
        out.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            out.write("stopping\n")
