"""The dashboard's filters: period, repository, member, bots, generated files.

Choices are the team's own repositories and people, so an id from another team is simply
not a valid choice. An invalid value falls back to its default instead of failing: a
stale bookmark still shows a page.
"""

import datetime as dt

from django import forms
from django.utils import timezone

from tformance.metrics.filters import MetricFilters, period_between, period_last_days
from tformance.metrics.selectors.pull_requests import DEFAULT_SORT, SORTS, PullRequestQuery
from tformance.pulls.models import PullRequest, TeamMember, TrackedRepository
from tformance.pulls.techstack import CATEGORIES

RANGES = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("180", "Last 180 days"),
    ("custom", "Custom"),
]
DEFAULT_RANGE = "30"
FILTER_KEYS = ("range", "start", "end", "repository", "member", "bots", "generated")


class DashboardFilterForm(forms.Form):
    range = forms.ChoiceField(choices=RANGES, required=False, label="Period")
    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )
    repository = forms.ModelChoiceField(
        queryset=TrackedRepository.objects.none(),
        required=False,
        empty_label="All repositories",
        label="Repository",
    )
    member = forms.ModelChoiceField(
        queryset=TeamMember.objects.none(), required=False, empty_label="Everyone", label="Author"
    )
    bots = forms.BooleanField(required=False, label="Include bots")
    generated = forms.BooleanField(required=False, label="Include generated files")

    def __init__(self, data, *, team, **kwargs):
        if (data or {}).get("range") not in dict(RANGES):
            # Show the period actually used: without this the browser would display the
            # first option ("Last 7 days") over a page computed for the default 30.
            data = data.copy() if data is not None else {}
            data["range"] = DEFAULT_RANGE
        super().__init__(data, **kwargs)
        self.team = team
        self.fields["repository"].queryset = TrackedRepository.objects.filter(team=team).order_by(
            "full_name"
        )
        self.fields["member"].queryset = (
            TeamMember.objects.filter(team=team, is_ghost=False, pull_requests__isnull=False)
            .distinct()
            .order_by("login")
        )
        self.fields["repository"].label_from_instance = lambda r: r.full_name
        self.fields["member"].label_from_instance = lambda m: (
            m.login + (" (bot)" if m.is_bot else "")
        )

    def clean(self):
        data = super().clean()
        if data.get("range") == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError("A custom period needs both dates.")
            if data["start"] > data["end"]:
                raise forms.ValidationError("The start date must not be after the end date.")
        return data

    def _value(self, name, default=None):
        """The cleaned value, or `default` when it is missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default

    def metric_filters(self, *, now: dt.datetime | None = None) -> MetricFilters:
        now = now or timezone.now()
        rng = self._value("range", DEFAULT_RANGE)
        if rng == "custom" and "__all__" not in self.errors and self._value("start"):
            start, end = period_between(
                team=self.team, first=self.cleaned_data["start"], last=self.cleaned_data["end"]
            )
        else:
            days = int(rng) if rng.isdigit() else int(DEFAULT_RANGE)
            start, end = period_last_days(team=self.team, days=days, now=now)
        repository = self._value("repository")
        member = self._value("member")
        return MetricFilters(
            team=self.team,
            start=start,
            end=end,
            repository_ids=(repository.pk,) if repository else (),
            member_ids=(member.pk,) if member else (),
            include_bots=bool(self._value("bots", False)),
            include_generated=bool(self._value("generated", False)),
        )


class PullRequestListForm(DashboardFilterForm):
    state = forms.ChoiceField(
        choices=[
            ("", "Opened in the period"),
            ("merged", "Merged in the period"),
            ("open", "Still open"),
            ("closed", "Closed unmerged"),
        ],
        required=False,
        label="Which PRs",
    )
    size = forms.ChoiceField(
        choices=[("", "Any size"), *PullRequest.Size.choices], required=False, label="Size"
    )
    ai = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "AI-assisted"), ("no", "Not AI-assisted")],
        required=False,
        label="AI",
    )
    unreviewed = forms.BooleanField(required=False, label="Merged without review")
    category = forms.ChoiceField(
        choices=[("", "Any category"), *((c, c) for c in CATEGORIES)], required=False
    )
    language = forms.CharField(required=False, max_length=50)
    reviewer = forms.ModelChoiceField(
        queryset=TeamMember.objects.none(), required=False, widget=forms.HiddenInput
    )
    ids = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        choices=[(s, s) for key in SORTS for s in (key, f"-{key}")],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, data, *, team, **kwargs):
        super().__init__(data, team=team, **kwargs)
        self.fields["reviewer"].queryset = TeamMember.objects.filter(team=team)

    def pull_request_query(self) -> PullRequestQuery:
        ids = tuple(
            int(i) for i in (self._value("ids", "") or "").split(",") if i.strip().isdigit()
        )
        reviewer = self._value("reviewer")
        return PullRequestQuery(
            state=self._value("state", ""),
            size=self._value("size", ""),
            ai=self._value("ai", ""),
            unreviewed=bool(self._value("unreviewed", False)),
            category=self._value("category", ""),
            language=self._value("language", ""),
            reviewer_id=reviewer.pk if reviewer else None,
            ids=ids[:200],
            sort=self._value("sort", DEFAULT_SORT),
        )
