"""Slack's incoming webhooks, offline: `POST /services/T…/B…/…` records each message.

Plain Python like the rest of the sandbox (no Django). `store.SlackStore` holds the posts
and the webhooks told to refuse; `api` answers the webhook and the `/_sandbox/slack`
control endpoints; `page` draws the posts roughly as Slack would. See ../README.md.
"""

from .store import SlackMessage, SlackStore

__all__ = ["SlackMessage", "SlackStore"]
