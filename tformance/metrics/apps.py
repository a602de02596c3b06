from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "tformance.metrics"
    label = "metrics"
