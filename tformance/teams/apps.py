from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "tformance.teams"
    label = "teams"
