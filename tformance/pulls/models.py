"""The team's pull-request history as mirrored from GitHub.

Every row carries its `team` so that each query can be scoped to one tenant without a join.
"""

from django.db import models
from django.db.models import Q

from tformance.pulls import durations
from tformance.teams.models import Team


class TeamMember(models.Model):
    """A GitHub identity seen in the team's data: an org member, an outside author, a bot.

    GitHub reports a deleted account as a `null` author; such work is attributed to the
    team's single ghost member (`is_ghost`) rather than dropped.
    """

    GHOST_LOGIN = "ghost"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="github_members")
    github_id = models.BigIntegerField(null=True, blank=True)
    login = models.CharField(max_length=100)
    name = models.CharField(max_length=255, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    is_bot = models.BooleanField(default=False)
    is_ghost = models.BooleanField(default=False)
    # Is (still) a member of the GitHub organisation; people who left keep their history.
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["login"]
        constraints = [
            # NULLs are distinct, so the ghost (no id) never collides; unconditional so
            # that bulk upserts can name it in ON CONFLICT.
            models.UniqueConstraint(
                fields=["team", "github_id"], name="teammember_unique_team_github_id"
            ),
            models.UniqueConstraint(
                fields=["team"], condition=Q(is_ghost=True), name="teammember_one_ghost_per_team"
            ),
            models.CheckConstraint(
                condition=Q(is_ghost=True) | Q(github_id__isnull=False),
                name="teammember_github_id_unless_ghost",
            ),
        ]

    def __str__(self):
        return self.login


class TrackedRepository(models.Model):
    """A repository the team chose to analyse; its sync state is `tformance.sync`'s."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="repositories")
    github_id = models.BigIntegerField()
    full_name = models.CharField(max_length=200)
    default_branch = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "tracked repositories"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "github_id"], name="trackedrepository_unique_team_github_id"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def owner_and_name(self) -> tuple[str, str]:
        owner, _, name = self.full_name.partition("/")
        return owner, name


# The most lines (additions + deletions) a PR of each size changes; more than L's is XL.
# The one definition of the sizes: `pulls.derived.size_bucket` sorts PRs by it.
SIZE_MAX_LINES = {"XS": 10, "S": 50, "M": 200, "L": 500}


# What the dashboard's aggregates read of a PR (`metrics.expressions`, `metrics.filters`).
DASHBOARD_COLUMNS = (
    "id",
    "repository_id",
    "author_id",
    "state",
    "is_draft",
    "opened_at",
    "ready_for_review_at",
    "merged_at",
    "first_commit_at",
    "first_review_at",
    "additions",
    "deletions",
    "size_bucket",
    "is_ai_assisted",
    "ai_tools",
    "review_count",
    "cycle_seconds",
    "coding_seconds",
    "pickup_seconds",
    "review_seconds",
    "first_review_seconds",
)
# What a period's numbers read (`metrics.selectors.periods`): the bot rule and the
# repository and author filters (`metrics.filters.pull_requests_scoped`) of every count,
# and, of the merged PRs, their counts, sizes, AI tools and the durations' percentiles.
# Narrow indexes of these are a tenth of the size of those of DASHBOARD_COLUMNS (the PR
# list's, for its sorts): a long period is read from them instead of from the table.
SCOPE_COLUMNS = ("author_id", "repository_id", "is_ai_assisted")
MERGED_NUMBERS_COLUMNS = (
    "id",
    *SCOPE_COLUMNS,
    "size_bucket",
    "first_review_at",
    "review_count",
    "ai_tools",
    "cycle_seconds",
    "coding_seconds",
    "pickup_seconds",
    "review_seconds",
)
# What the overview's XL merged without a review read to pick the biggest (delivery's
# `attention_xl_unreviewed`): the scope, "reviewed before the merge", and the lines.
XL_COLUMNS = ("id", *SCOPE_COLUMNS, "first_review_at", "additions", "deletions")


class PullRequestState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    MERGED = "merged", "Merged"


class PullRequestSize(models.TextChoices):
    XS = "XS", f"XS (≤ {SIZE_MAX_LINES['XS']} lines)"
    S = "S", f"S (≤ {SIZE_MAX_LINES['S']} lines)"
    M = "M", f"M (≤ {SIZE_MAX_LINES['M']} lines)"
    L = "L", f"L (≤ {SIZE_MAX_LINES['L']} lines)"
    XL = "XL", f"XL (> {SIZE_MAX_LINES['L']} lines)"


def _seconds(expression):
    """A duration of `pulls.durations`, stored: the database computes it on every write."""
    return models.GeneratedField(
        expression=expression, output_field=models.FloatField(), db_persist=True
    )


class PullRequest(models.Model):
    State = PullRequestState
    Size = PullRequestSize

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pull_requests")
    # No index of its own: the unique (repository, number) leads with it.
    repository = models.ForeignKey(
        TrackedRepository, on_delete=models.CASCADE, related_name="pull_requests", db_index=False
    )
    github_node_id = models.CharField(max_length=100)
    github_id = models.BigIntegerField()
    number = models.PositiveIntegerField()
    title = models.TextField()
    body = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    is_draft = models.BooleanField(default=False)
    author = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="pull_requests"
    )
    base_ref = models.CharField(max_length=255, blank=True)
    head_ref = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500)
    opened_at = models.DateTimeField()
    github_updated_at = models.DateTimeField()
    ready_for_review_at = models.DateTimeField(null=True, blank=True)
    merged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)
    changed_files = models.PositiveIntegerField(default=0)
    commits_count = models.PositiveIntegerField(default=0)

    # GitHub's totalCount of each nested list, and whether GitHub's own cap was reached
    # (3,000 files, 250 commits): the only reasons stored children may be fewer.
    files_total = models.PositiveIntegerField(default=0)
    commits_total = models.PositiveIntegerField(default=0)
    reviews_total = models.PositiveIntegerField(default=0)
    files_capped = models.BooleanField(default=False)
    commits_capped = models.BooleanField(default=False)

    # Derived once at sync time for the dashboard.
    first_commit_at = models.DateTimeField(null=True, blank=True)
    first_review_at = models.DateTimeField(null=True, blank=True)
    size_bucket = models.CharField(max_length=2, choices=Size.choices, blank=True)
    is_ai_assisted = models.BooleanField(default=False)
    ai_tools = models.JSONField(default=list, blank=True)
    # The issue keys (e.g. "CORE-12") the PR mentions, most trusted first: its branch name,
    # then its title, then its body (`derived.issue_keys`). Every key is kept; which are
    # issues of a tracked Jira project is decided when they are read, so a project tracked
    # later links the PRs that mention it without writing them again.
    issue_keys = models.JSONField(default=list, blank=True)
    # Reviews by someone other than the author (`PRReview.by_other`).
    review_count = models.PositiveIntegerField(default=0)

    # Seconds (`pulls.durations`); NULL where a stage has not happened.
    cycle_seconds = _seconds(durations.cycle_seconds())
    coding_seconds = _seconds(durations.coding_seconds())
    pickup_seconds = _seconds(durations.pickup_seconds())
    review_seconds = _seconds(durations.review_seconds())
    first_review_seconds = _seconds(durations.first_review_wait_seconds())

    # The key its files are counted under in `TechStackDay` (`pulls.stack_days`): the UTC
    # day it was merged and whether it is a bot's; no day while it is not merged.
    stack_day = models.DateField(null=True, blank=True)
    stack_bot = models.BooleanField(default=False)

    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "number"], name="pullrequest_unique_repository_number"
            ),
        ]
        indexes = [
            # Covering (PostgreSQL): the PR list's scans of a period read these columns only.
            # Its twins on merged_at and first_review_at went: no page scanned them once
            # the narrow ones below were there (`make bench`, pg_stat_user_indexes), and
            # every PR the sync writes updated them.
            models.Index(
                fields=["team", "opened_at"], name="pr_team_opened_at", include=DASHBOARD_COLUMNS
            ),
            # Narrow covering (PostgreSQL): a period's numbers (`metrics.selectors.periods`).
            models.Index(
                fields=["team", "merged_at"],
                name="pr_team_merged_numbers",
                include=MERGED_NUMBERS_COLUMNS,
            ),
            models.Index(
                fields=["team", "opened_at"], name="pr_team_opened_numbers", include=SCOPE_COLUMNS
            ),
            models.Index(
                fields=["team", "first_review_at"],
                name="pr_team_reviewed_numbers",
                include=(*SCOPE_COLUMNS, "first_review_seconds"),
            ),
            # The sync's, and a repository's PR ids (a filter of reviews by repository, e.g.
            # reviewer load: an index-only scan, not a scan of the team's PRs).
            models.Index(
                fields=["repository", "github_updated_at"],
                name="pr_repo_updated_at",
                include=["id"],
            ),
            # The few waiting for a first review (`metrics.expressions.waiting_for_review`).
            models.Index(
                fields=["team", "opened_at"],
                name="pr_team_waiting",
                condition=Q(
                    state=PullRequestState.OPEN, is_draft=False, first_review_at__isnull=True
                ),
            ),
            # AI-assisted PRs merged in a period, with their tools (the overview's tools: a
            # fifth of the merged PRs, not all of them read to find those).
            models.Index(
                fields=["team", "merged_at"],
                name="pr_team_merged_ai",
                condition=Q(is_ai_assisted=True),
                include=(*SCOPE_COLUMNS, "ai_tools"),
            ),
            # XL PRs merged in a period (merged without review: the overview's attention list),
            # with what picks the biggest of them, so that they are found without the table.
            models.Index(
                fields=["team", "merged_at"],
                name="pr_team_merged_xl",
                condition=Q(size_bucket=PullRequestSize.XL),
                include=XL_COLUMNS,
            ),
        ]

    def __str__(self):
        return f"{self.repository.full_name}#{self.number}"

    @property
    def is_merged(self) -> bool:
        return self.state == self.State.MERGED


class PRReview(models.Model):
    class State(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        COMMENTED = "commented", "Commented"
        DISMISSED = "dismissed", "Dismissed"
        PENDING = "pending", "Pending"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    # No index of its own: the unique (pull_request, github_id) leads with it.
    pull_request = models.ForeignKey(
        PullRequest, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    github_id = models.BigIntegerField()
    reviewer = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)
    body_length = models.PositiveIntegerField(default=0)
    # A review that counts: submitted, not pending, by someone other than the PR's author
    # (`pulls.derived.review_by_other`, derived at sync time like the PR's first review).
    by_other = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pull_request", "github_id"], name="prreview_unique_pr_github_id"
            ),
        ]
        indexes = [
            # Reviews given in a period (reviewer load, the people table): an index-only scan.
            models.Index(
                fields=["team", "submitted_at"],
                name="review_team_submitted_by_other",
                include=["reviewer_id", "pull_request_id"],
                condition=Q(by_other=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_state_display()} review {self.github_id}"


class Commit(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    # No index of its own: the unique (pull_request, sha) leads with it.
    pull_request = models.ForeignKey(
        PullRequest, on_delete=models.CASCADE, related_name="commits", db_index=False
    )
    sha = models.CharField(max_length=40)
    # The git identity is always kept; the GitHub account only when GitHub matched one.
    author = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=255, blank=True)
    author_email = models.CharField(max_length=255, blank=True)
    committer = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committer_name = models.CharField(max_length=255, blank=True)
    committer_email = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    authored_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["committed_at"]
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "sha"], name="commit_unique_pr_sha"),
        ]

    def __str__(self):
        return self.sha[:10]


class PRFile(models.Model):
    class ChangeType(models.TextChoices):
        ADDED = "added", "Added"
        MODIFIED = "modified", "Modified"
        CHANGED = "changed", "Changed"
        COPIED = "copied", "Copied"
        DELETED = "deleted", "Deleted"
        RENAMED = "renamed", "Renamed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    # No index of its own: the unique (pull_request, path) leads with it.
    pull_request = models.ForeignKey(
        PullRequest, on_delete=models.CASCADE, related_name="files", db_index=False
    )
    # Paths are free text: spaces, unicode and up to 4096 bytes are all legal in git.
    path = models.TextField()
    previous_path = models.TextField(blank=True)
    change_type = models.CharField(max_length=10, choices=ChangeType.choices)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "path"], name="prfile_unique_pr_path"),
        ]

    def __str__(self):
        return self.path


class TechStackRollup(models.Model):
    """What one repository's merged PRs of a span (a UTC day, a UTC month) changed, per
    category and language: lines (additions + deletions) and the PRs touching it."""

    class Kind(models.TextChoices):
        CATEGORY = "category", "Category"
        LANGUAGE = "language", "Language (files outside EXCLUDED_BY_DEFAULT)"
        LANGUAGE_ALL = "language_all", "Language (every file)"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    # No index of its own: the unique (repository, span, bot, kind, name) leads with it.
    repository = models.ForeignKey(
        TrackedRepository, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The PRs are `metrics.expressions.bot_pull_request`'s: left out unless bots are included.
    bot = models.BooleanField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=50)
    lines = models.BigIntegerField(default=0)
    prs = models.IntegerField(default=0)

    class Meta:
        abstract = True


def _rollup_meta(span: str, name: str) -> tuple[list, list]:
    """A rollup's unique key, and the covering index a period's reads scan."""
    unique = models.UniqueConstraint(
        fields=["repository", span, "bot", "kind", "name"], name=f"{name}_unique"
    )
    covering = models.Index(
        fields=["team", span],
        name=f"{name}_team_{span}",
        include=["repository_id", "bot", "kind", "name", "lines", "prs"],
    )
    return [unique], [covering]


class TechStackDay(TechStackRollup):
    """One UTC day's rollup, kept in step with the PRs and their files by the sync's write
    of each PR (`pulls.stack_days`), so that the dashboard's tech stack adds up days
    instead of reading every changed file of a period."""

    day = models.DateField()

    class Meta:
        constraints, indexes = _rollup_meta("day", "techstackday")

    def __str__(self):
        return f"{self.day} {self.kind} {self.name}"


class TechStackMonth(TechStackRollup):
    """`TechStackDay` added up by UTC month (`month`: its first day), moved in the same
    statements as the days (`pulls.stack_days`): a long period adds up its whole months, and
    days only at its ends (two years: ~5,000 rows instead of ~110,000)."""

    month = models.DateField()

    class Meta:
        constraints, indexes = _rollup_meta("month", "techstackmonth")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.kind} {self.name}"
