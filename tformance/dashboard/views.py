from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tformance.pulls.selectors import pull_request_list, repository_list
from tformance.teams.selectors import team_get_for_user


@login_required
def team_dashboard(request, slug):
    """Placeholder until the dashboard issue: the team's synced PRs, newest first."""
    team = team_get_for_user(user=request.user, slug=slug)
    prs = pull_request_list(team=team)
    return render(
        request,
        "dashboard/team.html",
        {
            "team": team,
            "pr_count": prs.count(),
            "recent": prs.order_by("-opened_at")[:20],
            "repositories": repository_list(team=team, active_only=True),
        },
    )
