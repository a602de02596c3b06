from django.apps import AppConfig


class PullsConfig(AppConfig):
    name = "tformance.pulls"
    label = "pulls"
