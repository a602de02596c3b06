"""The dashboard pages: tenancy, filters, links, empty states, export, bounded queries."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from tests.helpers.dashboard import history
from tests.helpers.factories import (
    PullRequestFactory,
    RepositorySyncFactory,
    TrackedRepositoryFactory,
)
from tformance.metrics.filters import period_last_days
from tformance.metrics.models import Insight

pytestmark = pytest.mark.django_db

PAGES = ["/t/acme/", "/t/acme/people/", "/t/acme/prs/", "/t/acme/prs.csv"]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_another_teams_pages_and_export_are_404(client, outsider, known_history, url):
    client.force_login(outsider)

    assert client.get(url).status_code == 404
    assert client.get(url.replace("acme", "no-such-team")).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitors_are_sent_to_log_in(client, known_history, url):
    response = client.get(url)

    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_a_member_sees_every_page(client, member, known_history, url):
    client.force_login(member)

    assert client.get(url).status_code == 200


def test_the_overview_shows_the_periods_numbers_and_links_them_to_the_prs(
    client, member, known_history
):
    client.force_login(member)

    html = body(client.get("/t/acme/"))

    # 10 PRs opened in the last 30 days plus one open PR; the bot's PR is left out.
    assert 'data-testid="pr-count">11<' in html
    assert 'data-testid="merged-count">10<' in html
    assert "state=merged&amp;unreviewed=on" in html
    assert "state=merged&amp;size=XL" in html
    assert "state=merged&amp;category=backend" in html
    assert "How is this computed?" in html
    assert "Waiting for someone" in html  # needs attention: waiting for a first review
    assert 'id="dashboard-charts"' in html


def test_filters_narrow_the_numbers_and_htmx_gets_only_the_body(client, member, known_history):
    client.force_login(member)
    api = known_history["api"].pk

    response = client.get(f"/t/acme/?range=30&repository={api}", headers={"HX-Request": "true"})

    html = body(response)
    assert 'data-testid="pr-count">5<' in html
    assert "<html" not in html and 'hx-swap-oob="true"' in html
    assert f"repository={api}" in html  # links keep the filter


def test_including_bots_counts_the_bots_pr(client, member, known_history):
    client.force_login(member)

    assert 'data-testid="merged-count">11<' in body(client.get("/t/acme/?bots=on"))


def test_an_invalid_filter_falls_back_to_its_default(client, member, known_history, other_team):
    client.force_login(member)
    foreign = TrackedRepositoryFactory(team=other_team)

    html = body(client.get(f"/t/acme/?range=bogus&repository={foreign.pk}&member=abc"))

    assert 'data-testid="pr-count">11<' in html
    assert '<option value="30" selected>Last 30 days</option>' in html


@pytest.mark.parametrize("query", ["", "?range=bogus"])
def test_the_period_menu_shows_the_default_period_the_page_uses(client, member, team, query):
    client.force_login(member)

    html = body(client.get(f"/t/acme/{query}"))

    assert '<option value="30" selected>Last 30 days</option>' in html
    assert '<option value="7" selected>' not in html


def test_a_custom_period_is_read_in_the_teams_time_zone(client, member, team):
    team.time_zone = "Asia/Tokyo"
    team.save()
    repo = TrackedRepositoryFactory(team=team)
    # 1 March 00:30 in Tokyo is still 28 February in UTC.
    PullRequestFactory(repository=repo, opened_at=dt.datetime(2025, 2, 28, 15, 30, tzinfo=dt.UTC))
    client.force_login(member)

    march = body(client.get("/t/acme/?range=custom&start=2025-03-01&end=2025-03-31"))
    february = body(client.get("/t/acme/?range=custom&start=2025-02-01&end=2025-02-28"))

    assert 'data-testid="pr-count">1<' in march
    assert 'data-testid="pr-count">0<' in february


def test_without_repositories_the_dashboard_says_where_to_add_them(client, member):
    client.force_login(member)

    html = body(client.get("/t/acme/"))

    assert 'data-testid="empty-no-repos"' in html and 'href="/onboarding/"' in html
    assert 'data-testid="pr-count"' not in html


def test_a_running_sync_is_announced_and_an_empty_period_says_what_to_do(client, member, team):
    RepositorySyncFactory(
        repository__team=team,
        status="syncing",
        phase="pull_requests",
        claim="live",
        heartbeat_at=timezone.now(),
        prs_done=20,
        prs_total=80,
    )
    client.force_login(member)

    html = body(client.get("/t/acme/?range=7"))

    assert 'data-testid="sync-running"' in html and "20/80 PRs" in html
    assert 'data-testid="empty-range"' in html and 'data-testid="pr-count">0<' in html


def test_stored_insights_are_shown_and_link_to_the_list_behind_them(
    client, member, known_history, team
):
    start, end = period_last_days(team=team, days=28, now=timezone.now())
    Insight.objects.create(
        team=team,
        rule="xl_unreviewed",
        rank=1,
        tone="warning",
        title="2 XL PRs merged without review",
        list_query={"state": "merged", "unreviewed": True, "size": "XL", "sort": "-size"},
        pull_request_count=2,
        period_start=start,
        period_end=end,
        computed_at=end,
    )
    client.force_login(member)

    html = body(client.get("/t/acme/"))
    link = html.split('<li class="insight')[1].split('href="')[1].split('"')[0]
    listed = body(client.get(link.replace("&amp;", "&")))

    assert "2 XL PRs merged without review" in html and "· 2 PRs" in html
    assert "state=merged" in link and "size=XL" in link and "unreviewed=on" in link
    assert f"start={start.date().isoformat()}" in link
    assert 'data-testid="pr-list-count">2<' in listed


def test_a_list_of_ids_from_an_older_insight_link_still_opens(client, member, known_history):
    ids = [p.pk for p in known_history["prs"][:3]]
    client.force_login(member)

    listed = body(client.get(f"/t/acme/prs/?ids={','.join(map(str, ids))}"))

    assert 'data-testid="pr-list-count">3<' in listed and "behind the insight" in listed


def test_the_people_page_lists_merges_and_reviews_per_person(client, member, known_history):
    client.force_login(member)

    html = body(client.get("/t/acme/people/")).split('data-testid="people-table"')[1]

    assert "alice" in html and "bob" in html and "dependabot" not in html
    assert f"member={known_history['alice'].pk}" in html


def test_the_people_pages_links_repeat_its_filters_and_narrow_to_the_person(
    client, member, known_history
):
    alice, bob = known_history["alice"].pk, known_history["bob"].pk
    client.force_login(member)

    html = body(client.get("/t/acme/people/?range=90&bots=on"))
    narrowed = body(client.get(f"/t/acme/people/?range=90&member={bob}"))

    assert f'href="/t/acme/prs/?range=90&amp;bots=on&amp;state=merged&amp;member={alice}"' in html
    assert f'href="/t/acme/prs/?range=90&amp;bots=on&amp;reviewer={bob}"' in html
    # The page's own author filter is replaced where it stands, not repeated.
    assert f'href="/t/acme/prs/?range=90&amp;member={bob}&amp;state=merged"' in narrowed


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 11),
        ("state=merged", 10),
        ("state=open", 1),
        ("state=merged&size=XL", 2),
        ("state=merged&ai=yes", 4),
        ("state=merged&unreviewed=on", 4),
        ("state=merged&category=frontend", 10),
        ("state=merged&language=Python", 10),
        ("bots=on&state=merged", 11),
    ],
)
def test_the_pr_list_applies_the_dashboards_link_filters(
    client, member, known_history, query, count
):
    client.force_login(member)

    html = body(client.get(f"/t/acme/prs/?{query}"))

    assert f'data-testid="pr-list-count">{count}<' in html


def test_the_pr_list_shows_prs_reviewed_by_a_person(client, member, known_history):
    client.force_login(member)

    html = body(client.get(f"/t/acme/prs/?reviewer={known_history['alice'].pk}"))

    # Alice reviewed Bob's web PRs that got a review (3 of 4 in every 4).
    assert 'data-testid="pr-list-count">3<' in html


def test_the_pr_list_sorts_and_paginates_and_rows_link_to_github(client, member, team):
    repo = TrackedRepositoryFactory(team=team, full_name="acme/big")
    now = timezone.now()
    for i in range(60):
        PullRequestFactory(
            repository=repo,
            number=i + 1,
            opened_at=now - dt.timedelta(hours=i + 1),
            additions=i,
            deletions=0,
        )
    client.force_login(member)

    first = body(client.get("/t/acme/prs/?sort=-size"))
    second = body(client.get("/t/acme/prs/?sort=-size&page=2"))

    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert first.index("acme/big#60<") < first.index("acme/big#59<")
    assert 'href="https://github.com/acme/big/pull/60"' in first
    assert second.count("acme/big#") == 10


def test_the_csv_export_holds_the_filtered_list(client, member, known_history):
    client.force_login(member)

    response = client.get("/t/acme/prs.csv?state=merged&size=XL")

    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="acme-pull-requests-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 2 and {r["size"] for r in rows} == {"XL"}
    assert rows[0]["cycle_seconds"] == str(15 * 3600)
    assert rows[0]["url"].startswith("https://github.com/acme/")


def test_a_csv_cell_cannot_become_a_spreadsheet_formula(client, member, team):
    PullRequestFactory(repository=TrackedRepositoryFactory(team=team), title="=HYPERLINK(1)")
    client.force_login(member)

    rows = list(csv.DictReader(io.StringIO(body(client.get("/t/acme/prs.csv")))))

    assert rows[0]["title"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("url", ["/t/acme/", "/t/acme/people/", "/t/acme/prs/"])
def test_pages_take_the_same_number_of_queries_for_5_or_50_prs(
    client, member, team, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    client.get(url)  # session, user: warm
    history(team, prs=5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    history(team, prs=50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


MAX_QUERIES = 12  # a page's whole cost, session and user included (issue 13)


def _pages_with_every_filter(known) -> list[str]:
    from tformance.metrics.selectors.pull_requests import SORTS

    today = timezone.now().date()
    two_years = f"range=custom&start={today - dt.timedelta(days=729)}&end={today}"
    api, alice = known["api"].pk, known["alice"].pk
    pages = [
        "/t/acme/?range=30",
        "/t/acme/?range=180",
        f"/t/acme/?{two_years}",
        f"/t/acme/?range=180&repository={api}",
        f"/t/acme/?range=90&member={alice}&bots=on&generated=on",
        "/t/acme/people/?range=90",
        f"/t/acme/people/?range=90&repository={api}",
        f"/t/acme/prs.csv?{two_years}&bots=on",
        f"/t/acme/prs/?range=180&reviewer={alice}",
    ]
    pages += [f"/t/acme/prs/?range=180&sort=-{key}" for key in SORTS]
    pages += [f"/t/acme/prs/?range=180&state=merged&sort={key}" for key in SORTS]
    return pages


def test_every_page_costs_at_most_twelve_queries_whatever_its_filters(client, member, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers.ci import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the budget is PostgreSQL's; SQLite asks one question per query")
    known = history(team, prs=8)
    client.force_login(member)

    for url in _pages_with_every_filter(known):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)
        assert len(queries) <= MAX_QUERIES, (url, [q["sql"][:70] for q in queries])


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        # Compiling the overview's statement at ~100k PRs took longer than running it.
        ("jit", "off"),
        # Two years of a large team's medians spilled to disk at the server's default of 4MB,
        # and their sort by week at 8MB.
        ("work_mem", "16MB"),
        # At the server's 4.0 the 2-year overview at 100k PRs read the table, not its index.
        ("random_page_cost", "1.1"),
    ],
)
def test_postgresql_connections_start_with_what_the_dashboard_needs(setting, value):
    from django.db import connection

    from tests.helpers.ci import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail(f"{setting} is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone()[0] == value
