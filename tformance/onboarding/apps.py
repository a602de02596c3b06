from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "tformance.onboarding"
    label = "onboarding"
