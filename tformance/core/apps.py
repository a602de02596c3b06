from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "tformance.core"
    label = "core"

    def ready(self) -> None:
        # Every process declares every actor (the web process too: it sends them, and
        # without Redis runs them), so a sender can name an actor it does not import.
        autodiscover_modules(*settings.DRAMATIQ_AUTODISCOVER_MODULES)
