from django.contrib import admin

from tformance.sync.models import RepositorySync


@admin.register(RepositorySync)
class RepositorySyncAdmin(admin.ModelAdmin):
    """Read-only: sync state is written by the sync engine alone (tformance.sync.state)."""

    list_display = ["repository", "team", "status", "phase", "prs_done", "last_synced_at"]
    list_filter = ["status", "phase"]
    readonly_fields = [f.name for f in RepositorySync._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
