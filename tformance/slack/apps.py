from django.apps import AppConfig


class SlackConfig(AppConfig):
    name = "tformance.slack"
    label = "slack"
