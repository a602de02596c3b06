from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "tformance.sync"
    label = "sync"
