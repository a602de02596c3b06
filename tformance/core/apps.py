from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tformance.core"
    label = "core"
