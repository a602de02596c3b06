"""Offline GitHub sandbox: a WSGI app speaking GitHub's REST and GraphQL APIs on 127.0.0.1."""

from .world import DEFAULT_ORG, HARD_CASES_REPO, OUTSIDER_LOGIN, SECOND_ORG, VIEWER_LOGIN

__all__ = ["DEFAULT_ORG", "HARD_CASES_REPO", "OUTSIDER_LOGIN", "SECOND_ORG", "VIEWER_LOGIN"]
