"""`manage.py github_sandbox`: serve the offline GitHub sandbox until Ctrl-C."""

from django.core.management.base import BaseCommand

from github_sandbox.cli import add_arguments, serve


class Command(BaseCommand):
    help = "Serve the offline GitHub sandbox (REST + GraphQL + OAuth) until interrupted."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        serve(options, out=self.stdout)
