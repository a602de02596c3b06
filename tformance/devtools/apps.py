from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development only: the offline demo and the GitHub sandbox's commands (DEV_TOOLS)."""

    name = "tformance.devtools"
    label = "devtools"
