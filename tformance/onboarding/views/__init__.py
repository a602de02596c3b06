"""The onboarding wizard: one small view per step (see urls.py for the order)."""
