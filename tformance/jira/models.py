"""A team's Jira projects, the ones it tracks with their sync state, and their issues.

A PR links to the issues whose keys it mentions (`PullRequest.issue_keys`), of tracked
projects only; the link is read, not stored, so it follows either side as it changes.
"""

from django.db import models

from tformance.teams.models import Team


class JiraSyncStatus(models.TextChoices):
    NEVER = "", "Not synced yet"
    QUEUED = "queued", "Queued"
    SYNCING = "syncing", "Syncing"
    COMPLETE = "complete", "Complete"
    RETRYING = "retrying", "Retrying"  # a transient failure or Jira's rate limit; it goes on
    FAILED = "failed", "Failed"  # retrying cannot help: `error` says what to do


class StatusCategory(models.TextChoices):
    """Jira's three status categories, by their keys."""

    NEW = "new", "To Do"
    IN_PROGRESS = "indeterminate", "In Progress"
    DONE = "done", "Done"
    UNKNOWN = "", "Unknown"


class JiraProject(models.Model):
    Status = JiraSyncStatus

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="jira_projects")
    jira_id = models.CharField(max_length=32)
    key = models.CharField(max_length=32)
    name = models.CharField(max_length=255)
    is_tracked = models.BooleanField(default=False)

    status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    # A run reads the issues updated since `watermark` (none: all of them), oldest update
    # first, and checkpoints Jira's token for its next page after each page it wrote.
    watermark = models.DateTimeField(null=True, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    page_token = models.TextField(blank=True)
    issues_done = models.PositiveIntegerField(default=0)
    last_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "key"], name="jiraproject_unique_team_key")
        ]
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} ({self.team})"


class JiraIssue(models.Model):
    Category = StatusCategory

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="jira_issues")
    project = models.ForeignKey(JiraProject, on_delete=models.CASCADE, related_name="issues")
    jira_id = models.CharField(max_length=32)
    key = models.CharField(max_length=48)
    summary = models.TextField(blank=True)
    issue_type = models.CharField(max_length=100, blank=True)
    is_subtask = models.BooleanField(default=False)
    status = models.CharField(max_length=100, blank=True)
    status_category = models.CharField(max_length=16, choices=Category.choices, blank=True)
    assignee_account_id = models.CharField(max_length=128, blank=True)
    assignee_name = models.CharField(max_length=255, blank=True)
    story_points = models.FloatField(null=True, blank=True)
    sprint = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    # When work started: its first move into a status of the "In Progress" category.
    started_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "key"], name="jiraissue_unique_team_key")
        ]

    def __str__(self):
        return self.key
