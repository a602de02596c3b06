"""`manage.py github_sandbox`: serve a sandbox until Ctrl-C."""

from __future__ import annotations

import time
from datetime import datetime

from django.core.management.base import BaseCommand

from tformance.sandbox.control import describe
from tformance.sandbox.faults import Faults
from tformance.sandbox.testing import run_sandbox


class Command(BaseCommand):
    help = "Serve the offline GitHub sandbox (REST + GraphQL + OAuth) until interrupted."

    def add_arguments(self, parser):
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

    def handle(self, *args, **o):
        faults = Faults(
            latency_ms=o["latency_ms"],
            error_rate_502=o["error_rate"],
            graphql_502_above_nodes=o["graphql_502_above_nodes"],
            secondary_limit_every=o["secondary_limit_every"],
            rest_budget=o["rest_budget"],
            graphql_budget=o["graphql_budget"],
            window_seconds=o["window_seconds"],
            window_from_exhaustion=o["window_from_exhaustion"],
            seed=o["seed"],
        )
        now = datetime.fromisoformat(o["now"]) if o["now"] else None
        with run_sandbox(
            seed=o["seed"],
            now=now,
            faults=faults,
            host=o["host"],
            port=o["port"],
            prs=o["prs"],
            repos=o["repos"],
            months=o["months"],
            include_giant_pr=o["giant_pr"],
        ) as gh:
            info = describe(gh.world)
            self.stdout.write(
                f"GitHub sandbox on {gh.url}\n"
                f"  web / OAuth      {gh.url}/login/oauth/authorize\n"
                f"  REST (github.com) {gh.api_url}   GraphQL {gh.graphql_url}\n"
                f"  REST (Enterprise) {gh.enterprise_api_url}   "
                f"GraphQL {gh.enterprise_graphql_url}\n"
                f"  control          {gh.url}/_sandbox/stats | faults | changes "
                f"| token | world\n"
                f"  token ({info['viewer_login']}): {gh.token}\n"
                f"  repos: {info['repos']}\n  hard cases: {info['hard_cases']}"
            )
            self.stdout.flush()
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                self.stdout.write("stopping")
