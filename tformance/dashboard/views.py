"""The team dashboard: overview, people, pull requests (and their CSV export).

Every view starts from the user's memberships (404 for another team), reads the filters from
the query string and hands them to the metric selectors. Filter changes arrive through
htmx and get only the page body back.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from tformance.dashboard.export import csv_lines
from tformance.dashboard.forms import FILTER_KEYS, DashboardFilterForm, PullRequestListForm
from tformance.dashboard.history import history_notice
from tformance.dashboard.overview import jira_mix_chart, overview_build
from tformance.jira.selectors import jira_delivery, jira_projects_status, pull_request_links
from tformance.metrics.filters import pull_requests_opened
from tformance.metrics.selectors.people import people_table
from tformance.metrics.selectors.pull_requests import PullRequestPages, pull_request_table
from tformance.sync.selectors import Activity, team_sync_states
from tformance.teams.selectors import membership_list_for_user, membership_of_team

PAGE_SIZE = 50


def _page(request, *, form_class=DashboardFilterForm, slug):
    # The user's teams (the header's too) and their sync states, once for the whole page.
    request.memberships = membership_list_for_user(user=request.user)
    membership = membership_of_team(memberships=request.memberships, slug=slug)
    team = membership.team
    states = team_sync_states(team=team, counted=False)
    form = form_class(request.GET, team=team, states=states)
    filters = form.metric_filters()
    params = form.params(FILTER_KEYS)
    notice = history_notice(filters=filters, states=states)
    context = {
        "team": team,
        "form": form,
        "notices": form.notices,
        "filters": filters,
        "filter_params": params,
        "repositories": states,
        "syncing": [s for s in states if s.is_under_way],
        "failed": [s for s in states if s.status == Activity.FAILED],
        "period_end_shown": filters.end - timezone.timedelta(days=1),
        "history_notice": notice,
        "can_extend_history": bool(notice and membership.is_admin),
        # Read with the membership (`membership_list_for_user`): no query of its own.
        "has_jira": hasattr(team, "jira_integration"),
        "slack_broken": _slack_broken(team) if membership.is_admin else None,
    }
    return team, form, filters, context


def _slack_broken(team):
    slack = getattr(team, "slack_integration", None)
    return slack if slack is not None and not slack.is_active else None


def _render(request, template, partial, context):
    # Every date and time on the page in the team's time zone, as its numbers are.
    with timezone.override(context["filters"].tz):
        return render(request, partial if request.htmx else template, context)


@login_required
def team_dashboard(request, slug):
    team, form, filters, context = _page(request, slug=slug)
    if context["repositories"]:
        context.update(overview_build(filters=filters, params=context["filter_params"]))
        context["pr_count"] = context["kpis"]["current"]["opened"]
    else:
        context["pr_count"] = pull_requests_opened(filters=filters).count()
    context["active_tab"] = "overview"
    return _render(request, "dashboard/team.html", "dashboard/_overview.html", context)


@login_required
def team_people(request, slug):
    team, form, filters, context = _page(request, slug=slug)
    context["people"] = people_table(filters=filters)
    context["active_tab"] = "people"
    return _render(request, "dashboard/people.html", "dashboard/_people.html", context)


@login_required
def team_jira(request, slug):
    team, form, filters, context = _page(request, slug=slug)
    context["jira"] = jira_delivery(filters=filters)
    context["jira_charts"] = {
        "mix": jira_mix_chart(
            filters=filters, params=context["filter_params"], mix=context["jira"].mix
        )
    }
    context["jira_projects"] = jira_projects_status(team=team)
    context["active_tab"] = "jira"
    return _render(request, "dashboard/jira.html", "dashboard/_jira.html", context)


@login_required
def team_pull_requests(request, slug):
    team, form, filters, context = _page(request, form_class=PullRequestListForm, slug=slug)
    query = form.pull_request_query()
    paginator = Paginator(
        PullRequestPages(pull_request_table(filters=filters, query=query)), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    if context["has_jira"]:
        links = pull_request_links(
            team=team, issue_keys_by_pr={pr.pk: pr.issue_keys for pr in page.object_list}
        )
        for pr in page.object_list:
            pr.jira_links = links.get(pr.pk, [])
    list_query = form.params()
    context.update(
        {
            "query": query,
            "list_description": form.description(),
            "page": page,
            "paginator": paginator,
            "list_query": list_query,
            "list_params": urlencode(list_query),
            "active_tab": "prs",
        }
    )
    return _render(
        request, "dashboard/pull_requests.html", "dashboard/_pull_requests.html", context
    )


@login_required
def team_pull_requests_csv(request, slug):
    """The filtered PR list (every page) as CSV, streamed."""
    team, form, filters, context = _page(request, form_class=PullRequestListForm, slug=slug)
    if context["notices"]:
        # A file cannot carry the page's message, and one that silently differs from its
        # link is data nobody should trust: refuse it, and say why.
        return HttpResponseBadRequest(
            "This export was not made: its link has filters that cannot be used.\n\n"
            + "".join(f"- {notice}\n" for notice in context["notices"])
            + "\nOpen the pull request list, check its filters and export from there.\n",
            content_type="text/plain; charset=utf-8",
        )
    stamp = timezone.now().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        csv_lines(filters=filters, query=form.pull_request_query()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{team.slug}-pull-requests-{stamp}.csv"'
    )
    return response
