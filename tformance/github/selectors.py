from tformance.teams.models import Team


def organization_team_get(*, org_id: int) -> Team | None:
    """The team connected to this GitHub organisation (there is at most one)."""
    return Team.objects.filter(github_integration__org_id=org_id).first()
