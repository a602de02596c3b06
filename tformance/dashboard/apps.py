from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tformance.dashboard"
    label = "dashboard"
