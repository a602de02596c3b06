from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "tformance.sandbox"
    label = "sandbox"
