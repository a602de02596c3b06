from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tformance.accounts"
    label = "accounts"
