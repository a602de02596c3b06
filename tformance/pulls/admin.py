from django.contrib import admin

from tformance.pulls.models import PullRequest, TeamMember, TrackedRepository


@admin.register(TrackedRepository)
class TrackedRepositoryAdmin(admin.ModelAdmin):
    list_display = ["full_name", "team", "is_active", "added_at"]
    list_filter = ["is_active"]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["login", "team", "is_bot", "is_ghost", "is_active"]
    search_fields = ["login", "name"]


@admin.register(PullRequest)
class PullRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "state", "author", "opened_at", "merged_at"]
    list_filter = ["state", "is_ai_assisted", "size_bucket"]
    raw_id_fields = ["author", "repository"]
