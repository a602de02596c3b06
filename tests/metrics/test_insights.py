"""The insights rules, their ranking and storage, and the optional LLM summary."""

import datetime as dt
import logging

import dramatiq
import pytest

from tests.helpers.factories import (
    PRReviewFactory,
    PullRequestFactory,
    TeamMemberFactory,
    TrackedRepositoryFactory,
)
from tformance.metrics.comparison import MIN_SAMPLE
from tformance.metrics.formatting import duration_text
from tformance.metrics.insights.llm import AnthropicProvider, summary_provider_get
from tformance.metrics.insights.services import insights_find, insights_refresh
from tformance.metrics.models import Insight, InsightSummary

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.UTC)
RECENT = NOW - dt.timedelta(days=10)  # inside the last four weeks
BEFORE = NOW - dt.timedelta(days=40)  # inside the four weeks before
H = dt.timedelta(hours=1)


@pytest.fixture
def repo(team):
    return TrackedRepositoryFactory(team=team)


def pr(repo, *, opened, merge_h=20, pickup_h=None, **fields):
    return PullRequestFactory(
        repository=repo,
        opened_at=opened,
        merged_at=opened + merge_h * H,
        github_updated_at=opened + merge_h * H,
        first_review_at=opened + pickup_h * H if pickup_h is not None else None,
        size_bucket=fields.pop("size_bucket", "S"),
        **fields,
    )


def by_rule(findings):
    return {f.rule: f for f in findings}


def listed(finding) -> list[int]:
    """The PRs of the list an insight links to, in its order."""
    return list(finding.pull_requests.values_list("pk", flat=True))


class FakeProvider:
    name = "fake"
    model = "fake-1"

    def __init__(self, text="Reviews are the bottleneck.", fail=False):
        self.text, self.fail, self.calls = text, fail, []

    def summarize(self, *, team_name, insights):
        self.calls.append((team_name, insights))
        if self.fail:
            raise RuntimeError("provider down")
        return self.text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (0, "0 min"),
        (90, "2 min"),
        (6 * 3600, "6 h"),
        (9.5 * 3600, "9.5 h"),
        (13 * 3600, "13 h"),
        (3 * 86400, "3 d"),
    ],
)
def test_durations_read_like_a_person_would_say_them(seconds, text):
    assert duration_text(seconds) == text


def test_pickup_time_doubling_is_reported_with_both_medians_and_the_slowest_prs(team, repo):
    for i in range(MIN_SAMPLE):
        pr(repo, opened=BEFORE + i * H, pickup_h=6)
    pickups = [13, 14] * (MIN_SAMPLE // 2)  # half 13 h, half 14 h: the median is 13.5 h
    slow = [pr(repo, opened=RECENT + i * H, pickup_h=h) for i, h in enumerate(pickups)]
    pr(repo, opened=RECENT)  # merged without review: no pickup time, not in its list

    found = by_rule(insights_find(team=team, now=NOW))

    pickup = found["pickup_trend"]
    assert pickup.title == "Pickup time doubled in the last four weeks (6 h → 14 h)"
    assert pickup.tone == "warning"
    assert pickup.numbers["before"] == 6 * 3600 and pickup.numbers["now"] == 13.5 * 3600
    assert set(listed(pickup)) == {p.pk for p in slow}
    assert pickup.query.state == "reviewed" and pickup.query.sort == "-pickup"


def test_a_small_change_or_a_small_sample_is_no_trend(team, repo):
    for i in range(MIN_SAMPLE):
        pr(repo, opened=BEFORE + i * H, pickup_h=6)
        pr(repo, opened=RECENT + i * H, pickup_h=7)
    pr(repo, opened=RECENT, merge_h=200)  # one outlier cannot make a cycle trend alone

    found = by_rule(insights_find(team=team, now=NOW))
    assert "pickup_trend" not in found and "cycle_trend" not in found


def test_ai_assisted_prs_merging_faster_is_reported(team, repo):
    ai = [
        pr(repo, opened=RECENT + i * H, merge_h=7, is_ai_assisted=True) for i in range(MIN_SAMPLE)
    ]
    for i in range(MIN_SAMPLE):
        pr(repo, opened=RECENT + i * H, merge_h=10)

    found = by_rule(insights_find(team=team, now=NOW))["ai_speed"]

    assert found.title == "AI-assisted PRs merge 30 % faster than others (7 h vs 10 h)"
    assert set(listed(found)) == {p.pk for p in ai}


def test_xl_prs_merged_without_review_are_counted_and_listed(team, repo):
    xl = [pr(repo, opened=RECENT + i * H, size_bucket="XL") for i in range(4)]
    pr(repo, opened=RECENT, size_bucket="XL", pickup_h=1)  # reviewed
    pr(repo, opened=BEFORE, size_bucket="XL")  # too long ago

    found = by_rule(insights_find(team=team, now=NOW))["xl_unreviewed"]

    assert found.title == "4 XL PRs merged without review in the last four weeks"
    assert sorted(listed(found)) == sorted(p.pk for p in xl)


def test_open_prs_waiting_for_a_first_review_are_reported(team, repo):
    waiting = PullRequestFactory(
        repository=repo, state="open", merged_at=None, opened_at=NOW - 72 * H
    )
    recent = PullRequestFactory(
        repository=repo, state="open", merged_at=None, opened_at=NOW - 5 * H
    )

    found = by_rule(insights_find(team=team, now=NOW))["waiting_for_review"]

    assert (
        found.title == "1 open PR has waited more than two days for a first review (longest: 3 d)"
    )
    assert found.detail.endswith("2 are waiting in all.")
    assert listed(found) == [waiting.pk, recent.pk]  # every waiting PR, longest first


def test_one_person_giving_most_reviews_is_reported(team, repo):
    alice, bob = (
        TeamMemberFactory(team=team, login="alice"),
        TeamMemberFactory(team=team, login="bob"),
    )
    for i in range(10):
        p = pr(repo, opened=RECENT + i * H, pickup_h=1)
        PRReviewFactory(
            pull_request=p, reviewer=alice if i < 8 else bob, submitted_at=RECENT + i * H + H
        )

    found = by_rule(insights_find(team=team, now=NOW))["review_concentration"]

    assert found.title == "alice gave 80 % of all reviews in the last four weeks (8 of 10)"
    assert len(listed(found)) == 8


def test_a_quiet_team_gets_no_insights(team, repo):
    pr(repo, opened=RECENT, pickup_h=1)

    assert insights_find(team=team, now=NOW) == []


def test_insights_are_ranked_stored_and_replaced_on_each_refresh(team, other_team, repo):
    for i in range(MIN_SAMPLE):
        pr(repo, opened=BEFORE + i * H, pickup_h=6)
        pr(repo, opened=RECENT + i * H, pickup_h=13)
    pr(repo, opened=RECENT, size_bucket="XL")
    Insight.objects.create(
        team=team,
        rule="old",
        rank=1,
        title="stale",
        period_start=NOW,
        period_end=NOW,
        computed_at=NOW,
    )
    other_repo = TrackedRepositoryFactory(team=other_team)
    pr(other_repo, opened=RECENT, size_bucket="XL")

    insights_refresh(team=team, now=NOW, provider=None)

    stored = list(Insight.objects.filter(team=team).order_by("rank"))
    assert [i.rank for i in stored] == list(range(1, len(stored) + 1))
    assert "old" not in {i.rule for i in stored}
    assert {"pickup_trend", "xl_unreviewed"} <= {i.rule for i in stored}
    assert stored[0].computed_at == NOW
    pickup = next(i for i in stored if i.rule == "pickup_trend")
    assert pickup.list_query == {"state": "reviewed", "sort": "-pickup"}
    assert pickup.pull_request_count == MIN_SAMPLE
    assert not Insight.objects.filter(team=other_team).exists()
    scores = [i.rule for i in stored]
    assert scores.index("pickup_trend") < scores.index("xl_unreviewed")  # doubled beats 4 XL


def test_with_a_provider_a_summary_is_written_from_the_insights(team, repo):
    for i in range(4):
        pr(repo, opened=RECENT + i * H, size_bucket="XL")
    provider = FakeProvider()

    insights_refresh(team=team, now=NOW, provider=provider)

    [(team_name, payload)] = provider.calls
    assert team_name == "Acme" and payload[0]["title"].startswith("4 XL PRs")
    summary = InsightSummary.objects.get(team=team)
    assert (summary.text, summary.provider, summary.model) == (
        "Reviews are the bottleneck.",
        "fake",
        "fake-1",
    )


def test_a_failing_provider_leaves_the_insights_in_place(team, repo, caplog):
    pr(repo, opened=RECENT, size_bucket="XL")

    with caplog.at_level(logging.ERROR):
        insights_refresh(team=team, now=NOW, provider=FakeProvider(fail=True))

    assert Insight.objects.filter(team=team, rule="xl_unreviewed").exists()
    assert not InsightSummary.objects.exists()
    assert "summary failed" in caplog.text


def test_without_an_api_key_there_is_no_provider_and_with_one_it_is_anthropic(settings):
    settings.ANTHROPIC_API_KEY = ""
    assert summary_provider_get() is None

    settings.ANTHROPIC_API_KEY = "sk-ant-test"
    settings.INSIGHTS_LLM_MODEL = "claude-test"
    provider = summary_provider_get()
    assert isinstance(provider, AnthropicProvider) and provider.model == "claude-test"


def test_the_actor_refreshes_a_team_and_ignores_a_missing_one(team, repo):
    from tformance.metrics.tasks import insights_refresh_team

    pr(repo, opened=dt.datetime.now(dt.UTC) - dt.timedelta(days=2), size_bucket="XL")

    insights_refresh_team.fn(team_id=team.pk)
    insights_refresh_team.fn(team_id=999_999)

    assert Insight.objects.filter(team=team, rule="xl_unreviewed").exists()


def test_the_nightly_job_queues_every_team_on_the_metrics_queue(team, other_team):
    from tformance.metrics.tasks import insights_refresh_all

    broker = dramatiq.get_broker()
    broker.flush_all()

    insights_refresh_all.fn()

    queue = broker.queues["metrics"]
    messages = [dramatiq.Message.decode(queue.get()) for _ in range(queue.qsize())]
    assert sorted(m.kwargs["team_id"] for m in messages) == sorted([team.pk, other_team.pk])
