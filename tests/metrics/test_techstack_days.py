"""The tech stack added up from whole UTC days (`TechStackDay`) and the files of the hours at
either end gives what the files of the period's merged PRs give, whatever the time zone."""

import datetime as dt
import itertools
import zoneinfo

import pytest

from tests.helpers.factories import (
    PRFileFactory,
    PullRequestFactory,
    TeamMemberFactory,
    TrackedRepositoryFactory,
)
from tformance.metrics.filters import MetricFilters, period_between
from tformance.metrics.selectors.techstack import tech_stack_breakdown
from tformance.pulls.models import PRFile
from tformance.pulls.techstack import EXCLUDED_BY_DEFAULT

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 2, 18, 0, tzinfo=dt.UTC)
FILES = [
    ("api/views.py", "Python", "backend", 30),
    ("web/app.tsx", "TSX", "frontend", 12),
    ("tests/test_views.py", "Python", "tests", 8),
    ("package-lock.json", "JSON", "generated", 900),
    ("config/app.json", "JSON", "config", 4),
    ("docs/moved.md", "Markdown", "docs", 0),  # renamed, no line changed
]


def expected(filters: MetricFilters, prs) -> tuple[list, list]:
    """The breakdown's rows, counted here from the PRs and their files."""
    kept = [
        pr
        for pr in prs
        if filters.start <= pr.merged_at < filters.end
        and (not filters.repository_ids or pr.repository_id in filters.repository_ids)
        and (filters.include_bots or not (pr.author.is_bot and not pr.is_ai_assisted))
    ]
    totals = {"category": {}, "language": {}}
    for f in PRFile.objects.filter(pull_request__in=kept):
        if not filters.include_generated and f.category in EXCLUDED_BY_DEFAULT:
            continue
        for field, name in (("category", f.category), ("language", f.language)):
            lines, touched = totals[field].get(name, (0, set()))
            totals[field][name] = (lines + f.additions + f.deletions, touched | {f.pull_request_id})
    rows = {
        field: sorted(
            ((name, lines, len(touched)) for name, (lines, touched) in found.items() if lines),
            key=lambda r: (-r[1], r[0]),
        )
        for field, found in totals.items()
    }
    return rows["category"], rows["language"]


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"])
def test_days_and_the_hours_around_them_add_up_to_the_files_of_the_period(team, time_zone):
    team.time_zone = time_zone
    team.save()
    repos = [TrackedRepositoryFactory(team=team), TrackedRepositoryFactory(team=team)]
    bot = TeamMemberFactory(team=team, login="renovate[bot]", is_bot=True)
    people = [TeamMemberFactory(team=team), TeamMemberFactory(team=team), bot]
    prs = []
    for i in range(36):  # every 3 hours and a bit, over four and a half days
        merged = START + dt.timedelta(hours=3 * i, minutes=7 * i)
        pr = PullRequestFactory(
            repository=repos[i % 2],
            author=people[i % 3],
            is_ai_assisted=i % 6 == 2,
            opened_at=merged - dt.timedelta(hours=5),
            merged_at=merged,
        )
        for path, language, category, lines in itertools.islice(
            itertools.cycle(FILES), i % 4, i % 4 + 3
        ):
            PRFileFactory(
                pull_request=pr,
                path=path,
                language=language,
                category=category,
                additions=lines + i,
                deletions=i % 3 if lines else 0,
            )
        prs.append(pr)
    tz, now = zoneinfo.ZoneInfo(time_zone), START + dt.timedelta(days=30)
    first = START.astimezone(tz).date()
    for offset, days in [(0, 1), (0, 5), (1, 2), (2, 1)]:
        start, end = period_between(
            team=team,
            first=first + dt.timedelta(days=offset),
            last=first + dt.timedelta(days=offset + days - 1),
            now=now,
        )
        for narrowing in [
            {},
            {"include_generated": True},
            {"include_bots": True},
            {"repository_ids": (repos[1].pk,)},
        ]:
            filters = MetricFilters(team=team, start=start, end=end, **narrowing)

            stack = tech_stack_breakdown(filters=filters, languages=None)

            categories, languages = expected(filters, prs)
            found = [(c["name"], c["lines"], c["prs"]) for c in stack["categories"]]
            assert found == categories, (offset, days, narrowing)
            found = [(lang["name"], lang["lines"], lang["prs"]) for lang in stack["languages"]]
            assert found == languages, (offset, days, narrowing)


@pytest.mark.parametrize("time_zone", ["UTC", "Pacific/Auckland", "America/St_Johns"])
def test_months_the_days_around_them_and_the_hours_add_up_to_the_files_of_the_period(
    team, time_zone
):
    team.time_zone = time_zone
    team.save()
    repos = [TrackedRepositoryFactory(team=team), TrackedRepositoryFactory(team=team)]
    bot = TeamMemberFactory(team=team, login="renovate[bot]", is_bot=True)
    people = [TeamMemberFactory(team=team), bot]
    start = dt.datetime(2025, 1, 20, 22, 30, tzinfo=dt.UTC)
    prs = []
    for i in range(40):  # every 2 days and 5 hours, over three months, across month ends
        merged = start + dt.timedelta(hours=53 * i)
        pr = PullRequestFactory(
            repository=repos[i % 2],
            author=people[i % 2] if i % 5 else bot,
            is_ai_assisted=i % 7 == 3,
            opened_at=merged - dt.timedelta(hours=5),
            merged_at=merged,
        )
        for path, language, category, lines in itertools.islice(
            itertools.cycle(FILES), i % 5, i % 5 + 2
        ):
            PRFileFactory(
                pull_request=pr,
                path=path,
                language=language,
                category=category,
                additions=lines + i,
                deletions=i % 4 if lines else 0,
            )
        prs.append(pr)
    now = start + dt.timedelta(days=200)
    for first, last in [
        (dt.date(2025, 1, 25), dt.date(2025, 4, 10)),  # two whole months, days around them
        (dt.date(2025, 2, 1), dt.date(2025, 3, 31)),  # months only (in UTC)
        (dt.date(2025, 1, 31), dt.date(2025, 3, 1)),  # February, a day on either side
        (dt.date(2025, 2, 3), dt.date(2025, 2, 26)),  # no whole month
    ]:
        start_at, end_at = period_between(team=team, first=first, last=last, now=now)
        for narrowing in [{}, {"include_generated": True}, {"include_bots": True}]:
            filters = MetricFilters(team=team, start=start_at, end=end_at, **narrowing)

            stack = tech_stack_breakdown(filters=filters, languages=None)

            categories, languages = expected(filters, prs)
            assert categories  # the period has merged PRs with files
            found = [(c["name"], c["lines"], c["prs"]) for c in stack["categories"]]
            assert found == categories, (first, last, narrowing)
            found = [(lang["name"], lang["lines"], lang["prs"]) for lang in stack["languages"]]
            assert found == languages, (first, last, narrowing)
