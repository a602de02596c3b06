from django.contrib import admin

from tformance.teams.models import Invitation, JoinRequest, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "days_back", "created_at"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "role", "sent_at", "sends", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "team__slug"]
    raw_id_fields = ["invited_by", "accepted_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "github_login", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "decided_by"]
