from django.urls import path

from tformance.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("<slug:slug>/", views.team_dashboard, name="team"),
    path("<slug:slug>/people/", views.team_people, name="people"),
    path("<slug:slug>/prs/", views.team_pull_requests, name="prs"),
    path("<slug:slug>/jira/", views.team_jira, name="jira"),
    path("<slug:slug>/prs.csv", views.team_pull_requests_csv, name="prs_csv"),
]
