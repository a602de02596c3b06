"""`manage.py demo`: the whole product offline, in one command (see `make demo`)."""

from django.core.management.base import BaseCommand

from tformance.devtools.demo_server import demo_serve


class Command(BaseCommand):
    help = "Run the offline demo: GitHub sandbox, demo user, workers, scheduler and web app."

    def add_arguments(self, parser):
        parser.add_argument("--onboarded", action="store_true", help="skip the wizard")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--sandbox-port", type=int, default=8765)
        parser.add_argument("--prs", type=int, default=600)
        parser.add_argument("--repos", type=int, default=5)
        parser.add_argument("--months", type=int, default=6)

    def handle(self, *args, onboarded, host, port, sandbox_port, prs, repos, months, **kw):
        demo_serve(
            onboarded=onboarded,
            host=host,
            port=port,
            sandbox_port=sandbox_port,
            prs=prs,
            repos=repos,
            months=months,
            out=self.stdout,
        )
