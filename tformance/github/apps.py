from django.apps import AppConfig


class GithubConfig(AppConfig):
    name = "tformance.github"
    label = "github"
