from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "tformance.integrations"
    label = "integrations"
