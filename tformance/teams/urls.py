from django.urls import path

from tformance.teams.views import invitations, members

app_name = "teams"
urlpatterns = [
    # The argument must be called `token`: the access log redacts it (config/gunicorn.py).
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("teams/<slug:slug>/leave/", members.leave, name="leave"),
    path("teams/<slug:slug>/invitations/", members.invite, name="invite"),
    path(
        "teams/<slug:slug>/invitations/<int:pk>/resend/",
        members.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "teams/<slug:slug>/invitations/<int:pk>/revoke/",
        members.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("teams/<slug:slug>/members/<int:pk>/role/", members.membership_role, name="member_role"),
    path(
        "teams/<slug:slug>/members/<int:pk>/remove/",
        members.membership_remove_view,
        name="member_remove",
    ),
    path(
        "teams/<slug:slug>/join-requests/<int:pk>/accept/",
        members.join_request_answer,
        {"answer": "accept"},
        name="join_request_accept",
    ),
    path(
        "teams/<slug:slug>/join-requests/<int:pk>/decline/",
        members.join_request_answer,
        {"answer": "decline"},
        name="join_request_decline",
    ),
]
