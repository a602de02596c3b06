"""Headless set-up: connect a team to a GitHub organisation with a token from the environment."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tformance.github.client import GitHubClient
from tformance.github.errors import GitHubError
from tformance.github.models import GitHubIntegration
from tformance.github.selectors import organization_team_get
from tformance.github.services import TokenProblem, team_github_connect, token_check
from tformance.sync.services import team_members_sync
from tformance.teams.models import Team


class Command(BaseCommand):
    help = "Create or update a team connected to a GitHub org, as the wizard would; print its slug."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's login")
        parser.add_argument(
            "--token-env", required=True, metavar="VAR", help="env var with the token"
        )
        parser.add_argument("--team", help="the team's slug (default: the org's login)")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--repos", help="comma-separated OWNER/NAME list")
        which.add_argument("--all-repos", action="store_true", help="every non-archived repository")
        parser.add_argument("--days-back", type=int, help="history window of the first sync")

    def handle(
        self, *args, org, token_env, team=None, repos=None, all_repos=False, days_back=None, **kw
    ):
        token = os.environ.get(token_env, "").strip()
        if not token:
            raise CommandError(f"Environment variable {token_env} holds no token.")
        client = GitHubClient(token=token)
        try:
            checked = token_check(client=client, org_login=org)
            available = client.list_org_repositories(org)
        except (TokenProblem, GitHubError) as exc:
            raise CommandError(str(exc)) from exc
        chosen = available if all_repos else self._pick(available, repos)
        connected = organization_team_get(org_id=checked.organization.database_id)
        if connected is not None and team and connected.slug != team:
            raise CommandError(
                f"{checked.organization.login} is connected to the team {connected.slug!r} "
                "already; an organisation has one team (use --team "
                f"{connected.slug}, or leave --team out)."
            )
        slug = team or (connected.slug if connected else checked.organization.login.lower())
        with transaction.atomic():
            team_row, _ = Team.objects.get_or_create(
                slug=slug, defaults={"name": checked.team_name}
            )
            if days_back:
                team_row.days_back = days_back
                team_row.save(update_fields=["days_back"])
            team_github_connect(
                checked=checked,
                token=token,
                method=GitHubIntegration.Method.PERSONAL_TOKEN,
                team=team_row,
                repositories=chosen,
            )
        try:
            team_members_sync(team=team_row, client=client)
        except GitHubError as exc:
            raise CommandError(f"Connected, but the member sync failed: {exc}") from exc
        self.stderr.write(
            f"Connected {checked.organization.login} as {checked.viewer.login}; "
            f"tracking {len(chosen)} repositories."
        )
        self.stdout.write(team_row.slug)

    def _pick(self, available, repos: str):
        wanted = [name.strip() for name in repos.split(",") if name.strip()]
        by_name = {r.full_name.lower(): r for r in available}
        missing = [name for name in wanted if name.lower() not in by_name]
        if missing:
            raise CommandError(f"Not found (or archived) in the organisation: {', '.join(missing)}")
        return [by_name[name.lower()] for name in wanted]
