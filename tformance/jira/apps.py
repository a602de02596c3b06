from django.apps import AppConfig


class JiraConfig(AppConfig):
    name = "tformance.jira"
    label = "jira"
    verbose_name = "Jira"
