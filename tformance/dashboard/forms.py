"""The dashboard's filters: period, repository, member, bots, generated files.

Choices are the team's own repositories and people, so an id from another team is simply
not a valid choice. An invalid value falls back to its default instead of failing, and
`notices` says what was ignored: a stale bookmark still shows a page, and tells why it
looks different.
"""

import dataclasses
import datetime as dt

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from tformance.dashboard.widgets import OptionsSelect
from tformance.metrics.filters import (
    MetricFilters,
    PeriodOutOfBounds,
    period_between,
    period_last_days,
)
from tformance.metrics.selectors.pull_requests import (
    DEFAULT_SORT,
    OPENED_LISTS,
    SORTS,
    PullRequestList,
    PullRequestQuery,
)
from tformance.pulls.models import PullRequest, TeamMember, TrackedRepository
from tformance.pulls.selectors import repository_list, team_member_list, team_member_list_authors
from tformance.pulls.techstack import CATEGORIES
from tformance.sync.selectors import history_start

RANGES = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("180", "Last 180 days"),
    ("custom", "Custom"),
]
DEFAULT_RANGE = "30"
FILTER_KEYS = ("range", "start", "end", "repository", "member", "bots", "generated")
PERIOD_KEYS = ("range", "start", "end")
NOT_A_CHOICE = "The value in the link is not one of the choices."
IGNORED = "This filter was ignored."
PERIOD_FALLBACK = f"Showing the {dict(RANGES)[DEFAULT_RANGE].lower()} instead."
BIGINT_MAX = 2**63 - 1  # PostgreSQL's bigint, the type of every id
IDS_MAX = 200


def id_parse(text: str) -> int | None:
    """A row id written as our links write it (ASCII digits, no sign or leading zero, within
    bigint), else None. `int()` alone takes "²" for a digit and then fails, refuses more
    than 4,300 digits, and passes 20 digits on to overflow the database."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if str(value) == text and value <= BIGINT_MAX else None


class _RowsIterator(ModelChoiceIterator):
    """The field's choices from the rows it read once (`TeamRowChoiceField.rows`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows():
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class TeamRowChoiceField(forms.ModelChoiceField):
    """A choice among the team's rows by id; anything but a plain id is refused unqueried.

    The rows are read once per form, for the value's check and the options alike.
    """

    iterator = _RowsIterator

    def _set_queryset(self, queryset):
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def rows(self) -> list:
        if self._rows is None:
            self._rows = list(self.queryset)
        return self._rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = id_parse(value) if isinstance(value, str) else value
        found = next((row for row in self.rows() if row.pk == pk), None)
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


@dataclasses.dataclass(frozen=True)
class IdList:
    ids: tuple[int, ...] = ()  # at most IDS_MAX
    named: int = 0  # well-formed ids in the link
    malformed: int = 0

    def __bool__(self):
        return bool(self.ids)


class IdListField(forms.Field):
    """Comma-separated PR ids (an insight's link): malformed ones are counted, not fatal."""

    widget = forms.HiddenInput

    def to_python(self, value) -> IdList:
        pieces = [p.strip() for p in (value or "").split(",") if p.strip()]
        ids = [i for i in map(id_parse, pieces) if i is not None]
        return IdList(ids=tuple(ids[:IDS_MAX]), named=len(ids), malformed=len(pieces) - len(ids))


class DashboardFilterForm(forms.Form):
    range = forms.ChoiceField(
        choices=RANGES,
        required=False,
        label="Period",
        # filters.js shows it when Back restores a link whose period is not a choice.
        widget=OptionsSelect(attrs={"data-default": DEFAULT_RANGE}),
    )
    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )
    repository = TeamRowChoiceField(
        queryset=TrackedRepository.objects.none(),
        widget=OptionsSelect,
        required=False,
        empty_label="All repositories",
        label="Repository",
    )
    member = TeamRowChoiceField(
        queryset=TeamMember.objects.none(),
        widget=OptionsSelect,
        required=False,
        empty_label="Everyone",
        label="Author",
    )
    bots = forms.BooleanField(required=False, label="Include bots")
    generated = forms.BooleanField(required=False, label="Include generated files")

    def __init__(self, data, *, team, now: dt.datetime | None = None, states=None, **kwargs):
        self.raw = data if data is not None else {}
        self.range_refused = bool(self.raw.get("range")) and self.raw["range"] not in dict(RANGES)
        if self.raw.get("range") not in dict(RANGES):
            # Show the period actually used: without this the browser would display the
            # first option ("Last 7 days") over a page computed for the default 30.
            data = self.raw.copy()
            data["range"] = DEFAULT_RANGE
        super().__init__(data, **kwargs)
        self.team = team
        self.now = now or timezone.now()
        self.states = states  # the team's `team_sync_states`, when the page read them
        for field in self.fields.values():
            if "invalid_choice" in field.error_messages:  # Django's echoes the value
                field.error_messages["invalid_choice"] = NOT_A_CHOICE
        # Only what the options and the page read of each row: a team has hundreds of people.
        self.fields["repository"].queryset = (
            repository_list(team=team).order_by("full_name").only("full_name")
        )
        self.fields["member"].queryset = team_member_list_authors(team=team).only("login", "is_bot")
        self.fields["repository"].label_from_instance = lambda r: r.full_name
        self.fields["member"].label_from_instance = lambda m: (
            m.login + (" (bot)" if m.is_bot else "")
        )

    def clean(self):
        data = super().clean()
        if data.get("range") == "custom" and not self._dates_invalid():
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError("A custom period needs both dates.")
            try:
                data["period"] = period_between(
                    team=self.team, first=data["start"], last=data["end"], now=self.now
                )
            except PeriodOutOfBounds as refused:
                raise forms.ValidationError(str(refused)) from None
        return data

    def _dates_invalid(self) -> bool:
        return "start" in self.errors or "end" in self.errors

    def _custom_refused(self) -> bool:
        self.is_valid()
        return self.cleaned_data.get("range") == "custom" and "period" not in self.cleaned_data

    def _value(self, name, default=None):
        """The cleaned value, or `default` when it is missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default

    @property
    def notices(self) -> list[str]:
        """One sentence for each value of the link that the page could not use."""
        self.is_valid()
        said = []
        if self.range_refused:
            said.append(f"{self.fields['range'].label}: {NOT_A_CHOICE} {PERIOD_FALLBACK}")
        for name, errors in self.errors.items():
            if name == "__all__":
                said.append(f"{' '.join(errors)} {PERIOD_FALLBACK}")
            elif name not in ("start", "end"):
                said.append(f"{self.fields[name].label}: {errors[0]} {IGNORED}")
            elif self.cleaned_data.get("range") == "custom":
                said.append(f"{self.fields[name].label}: {errors[0]} {PERIOD_FALLBACK}")
        return said

    def params(self, keys=None) -> dict[str, str]:
        """The query of the filters this page used: links from it repeat what it shows.

        Values that were ignored (and a refused custom period) are left out.
        """
        self.is_valid()
        used = {}
        for name in keys or self.fields:
            value = self.raw.get(name)
            if not value or name in self.errors or not self.cleaned_data.get(name):
                continue
            if name in PERIOD_KEYS and (self.range_refused or self._custom_refused()):
                continue
            used[name] = value
        return used

    def metric_filters(self) -> MetricFilters:
        self.is_valid()
        if "period" in self.cleaned_data:
            start, end = self.cleaned_data["period"]
        else:
            rng = self._value("range", DEFAULT_RANGE)
            days = int(rng) if rng.isdigit() else int(DEFAULT_RANGE)
            start, end = period_last_days(team=self.team, days=days, now=self.now)
        repository = self._value("repository")
        member = self._value("member")
        repository_ids = (repository.pk,) if repository else ()
        return MetricFilters(
            team=self.team,
            start=start,
            end=end,
            repository_ids=repository_ids,
            member_ids=(member.pk,) if member else (),
            include_bots=bool(self._value("bots", False)),
            include_generated=bool(self._value("generated", False)),
            history_start=history_start(
                team=self.team, repository_ids=repository_ids, states=self.states
            ),
        )


# How the heading of each list (`PullRequestList`) says what it holds.
STATES = {
    PullRequestList.OPENED: "opened in the period",
    PullRequestList.MERGED: "merged in the period",
    PullRequestList.REVIEWED: "merged in the period after a review",
    PullRequestList.FIRST_REVIEW: "first reviewed in the period",
    PullRequestList.WAITING: "waiting for a first review now (open, not drafts), whatever the period",
    PullRequestList.OPEN: "opened in the period and still open",
    PullRequestList.CLOSED: "opened in the period and closed unmerged",
}


class PullRequestListForm(DashboardFilterForm):
    state = forms.ChoiceField(
        choices=PullRequestList.choices,
        widget=OptionsSelect,
        required=False,
        label="Which PRs",
    )
    size = forms.ChoiceField(
        choices=[("", "Any size"), *PullRequest.Size.choices],
        widget=OptionsSelect,
        required=False,
        label="Size",
    )
    ai = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "AI-assisted"), ("no", "Not AI-assisted")],
        widget=OptionsSelect,
        required=False,
        label="AI",
    )
    unreviewed = forms.BooleanField(required=False, label="Merged without review")
    category = forms.ChoiceField(
        choices=[("", "Any category"), *((c, c) for c in CATEGORIES)],
        required=False,
        label="Category",
    )
    language = forms.CharField(required=False, max_length=50, label="Language")
    reviewer = TeamRowChoiceField(
        queryset=TeamMember.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        label="Reviewer",
    )
    ids = IdListField(required=False, label="Pull requests")
    sort = forms.ChoiceField(
        choices=[(s, s) for key in SORTS for s in (key, f"-{key}")],
        required=False,
        widget=forms.HiddenInput,
        label="Sort",
    )

    def __init__(self, data, *, team, **kwargs):
        super().__init__(data, team=team, **kwargs)
        self.fields["reviewer"].queryset = team_member_list(team=team).only("login")

    @property
    def notices(self) -> list[str]:
        said = super().notices
        ids = self.cleaned_data["ids"]
        if ids.malformed == 1:
            said.append("Pull requests: 1 id in the link is not a PR id and was ignored.")
        elif ids.malformed:
            said.append(
                f"Pull requests: {ids.malformed} ids in the link are not PR ids and were ignored."
            )
        if ids.named > IDS_MAX:
            said.append(
                f"Pull requests: the link names {ids.named}; only the first {IDS_MAX} are listed."
            )
        return said

    def params(self, keys=None) -> dict[str, str]:
        used = super().params(keys)
        if "ids" in used:  # without the ids it ignored
            used["ids"] = ",".join(map(str, self.cleaned_data["ids"].ids))
        return used

    def description(self) -> str:
        """What the list holds, in words ("merged in the period without a review, XL")."""
        query, reviewer = self.pull_request_query(), self._value("reviewer")
        if query.ids:
            words = ["behind the insight"]
        elif query.unreviewed and not query.state:
            words = [STATES[PullRequestList.MERGED]]
        elif reviewer and query.state in OPENED_LISTS:
            words = [f"reviewed by {reviewer.login} in the period"]
            words += {
                PullRequestList.OPEN: ["still open"],
                PullRequestList.CLOSED: ["closed unmerged"],
            }.get(query.state, [])
        else:
            words = [STATES[query.state]]
            if reviewer:
                words.append(f"reviewed by {reviewer.login}")
        if query.unreviewed:
            words.append("without a review")
        if query.size:
            words.append(f"size {query.size}")
        if query.ai:
            words.append("AI-assisted" if query.ai == "yes" else "not AI-assisted")
        for touched in (query.category, query.language):
            if touched:
                words.append(f"touching {touched}")
        return ", ".join(words)

    def pull_request_query(self) -> PullRequestQuery:
        reviewer = self._value("reviewer")
        return PullRequestQuery(
            state=self._value("state", PullRequestList.OPENED),
            size=self._value("size", ""),
            ai=self._value("ai", ""),
            unreviewed=bool(self._value("unreviewed", False)),
            category=self._value("category", ""),
            language=self._value("language", ""),
            reviewer_id=reviewer.pk if reviewer else None,
            ids=self.cleaned_data["ids"].ids,
            sort=self._value("sort", DEFAULT_SORT),
        )


def query_params(query: PullRequestQuery) -> dict[str, str]:
    """The PR list's link for `query`: the inverse of `PullRequestListForm.pull_request_query`."""
    params = {
        "state": query.state,
        "size": query.size,
        "ai": query.ai,
        "unreviewed": "on" if query.unreviewed else "",
        "category": query.category,
        "language": query.language,
        "reviewer": str(query.reviewer_id) if query.reviewer_id is not None else "",
        "sort": query.sort if query.sort != DEFAULT_SORT else "",
    }
    return {key: value for key, value in params.items() if value}
