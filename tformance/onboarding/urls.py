from django.urls import path

from tformance.onboarding.views import finish, github, org, repos, settings, slack_settings, sync

app_name = "onboarding"
urlpatterns = [
    path("", finish.resume, name="resume"),
    path("start/", github.start, name="start"),
    path("github/connect/", github.github_oauth_begin, name="github_connect"),
    path("github/callback/", github.github_oauth_callback, name="github_callback"),
    path("github/exchange/", github.github_oauth_exchange, name="github_exchange"),
    path("github/token/", github.github_token, name="github_token"),
    path("org/", org.org, name="org"),
    path("org/list/", org.org_list, name="org_list"),
    path("org/join/", org.org_join, name="org_join"),
    path("org/join/<int:pk>/withdraw/", org.org_join_withdraw, name="org_join_withdraw"),
    path("repos/", repos.repos, name="repos"),
    path("repos/list/", repos.repos_list, name="repos_list"),
    path("sync/", sync.sync, name="sync"),
    path("sync/status/", sync.sync_status, name="sync_status"),
    path("jira/", finish.jira, name="jira"),
    path("jira/projects/", finish.jira_projects, name="jira_projects"),
    path("slack/", finish.slack, name="slack"),
    path("complete/", finish.complete, name="complete"),
    path("settings/<slug:slug>/", settings.team_settings, name="settings"),
    path("settings/<slug:slug>/repos/", settings.settings_repos_list, name="settings_repos_list"),
    path("settings/<slug:slug>/status/", settings.settings_status, name="settings_status"),
    path("settings/<slug:slug>/resync/", settings.team_resync, name="settings_resync"),
    path("settings/<slug:slug>/jira/", settings.team_jira_projects, name="settings_jira_projects"),
    path("settings/<slug:slug>/jira/sync/", settings.team_jira_sync, name="settings_jira_sync"),
    path("settings/<slug:slug>/slack/", slack_settings.team_slack, name="settings_slack"),
    path(
        "settings/<slug:slug>/slack/connect/",
        slack_settings.team_slack_connect,
        name="settings_slack_connect",
    ),
    path(
        "settings/<slug:slug>/slack/test/",
        slack_settings.team_slack_test,
        name="settings_slack_test",
    ),
    path(
        "settings/<slug:slug>/slack/digest/",
        slack_settings.team_slack_digest,
        name="settings_slack_digest",
    ),
    path(
        "settings/<slug:slug>/slack/digest/preview/",
        slack_settings.team_slack_digest_preview,
        name="settings_slack_digest_preview",
    ),
    path(
        "settings/<slug:slug>/slack/rules/",
        slack_settings.team_slack_rules,
        name="settings_slack_rules",
    ),
    path(
        "settings/<slug:slug>/slack/rules/count/",
        slack_settings.team_slack_rule_count,
        name="settings_slack_rule_count",
    ),
    path("settings/<slug:slug>/history/", settings.team_history, name="settings_history"),
    path(
        "settings/<slug:slug>/repositories/<int:pk>/retry/",
        sync.repository_retry,
        name="repository_retry",
    ),
    path(
        "settings/<slug:slug>/repositories/<int:pk>/skip/",
        sync.repository_skip_view,
        name="repository_skip",
    ),
]
