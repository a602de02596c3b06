"""The two validation calls, over plain HTTP: Jira's "who am I" and a Slack webhook test post.

Each returns plain data or raises `IntegrationProblem` with a message for the user. No
secret (API token, webhook URL) is ever logged or put in a message. Both addresses are typed
by users, so both go through the outbound guard (`tformance.core.outbound`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import requests
from django.conf import settings

from tformance.core.outbound import OutboundProblem, outbound_request, outbound_url_split

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
USER_AGENT = "Tformance"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class IntegrationProblem(Exception):
    """The settings cannot be used; the message tells the user what to fix."""


class SlackWebhookGone(IntegrationProblem):
    """Slack says the webhook no longer exists or may not post: retrying cannot help."""


@dataclass(frozen=True)
class JiraAccount:
    account_id: str
    display_name: str
    email: str


def jira_site_normalize(site_url: str) -> str:
    """`acme.atlassian.net` or `https://acme.atlassian.net/jira/` → `https://acme.atlassian.net`."""
    value = site_url.strip()
    if "://" not in value:
        value = f"https://{value}"
    try:
        parts = outbound_url_split(value)
    except OutboundProblem as exc:
        message = f"{exc} Enter your Jira site, e.g. https://acme.atlassian.net."
        raise IntegrationProblem(message) from exc
    loopback = parts.hostname in LOOPBACK_HOSTS
    if parts.scheme == "http" and not loopback:
        raise IntegrationProblem("The Jira site must use https://.")
    path = parts.path.rstrip("/")
    if path.endswith("/jira") or "/jira/" in path:
        path = path[: path.index("/jira")]
    return f"{parts.scheme}://{parts.netloc}{path}"


def jira_myself(*, site_url: str, email: str, api_token: str) -> JiraAccount:
    """The account behind the email and API token, or a problem naming what is wrong."""
    # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
    # Reference: https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
    url = f"{site_url}/rest/api/3/myself"
    try:
        response = outbound_request(
            "GET",
            url,
            auth=(email, api_token),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=TIMEOUT_SECONDS,
        )
    except OutboundProblem as exc:
        raise IntegrationProblem(str(exc)) from exc
    except requests.Timeout as exc:
        raise IntegrationProblem(f"{site_url} did not answer in time; try again.") from exc
    except requests.RequestException as exc:
        raise IntegrationProblem(f"Could not reach {site_url}; check the address.") from exc
    status = response.status_code
    logger.info("[jira] %s answered %s to GET /myself", site_url, status)
    if status == 401:
        raise IntegrationProblem(
            "Jira rejected the email and API token (401). Check both; the token is created "
            "at id.atlassian.com → Security → API tokens."
        )
    if status == 403:
        raise IntegrationProblem(
            "Jira refused this account (403). If it asked for a CAPTCHA, log in to Jira in "
            "your browser once, then try again."
        )
    if status == 404 or 300 <= status < 400:
        raise IntegrationProblem(f"There is no Jira REST API at {site_url} (HTTP {status}).")
    if status >= 500:
        raise IntegrationProblem(f"Jira had a problem (HTTP {status}); try again in a minute.")
    try:
        body = response.json()
    except ValueError:
        body = None
    if status != 200 or not isinstance(body, dict) or not body.get("accountId"):
        raise IntegrationProblem(f"{site_url} did not answer like Jira (HTTP {status}).")
    return JiraAccount(
        account_id=str(body["accountId"]),
        display_name=str(body.get("displayName") or ""),
        email=str(body.get("emailAddress") or email),
    )


# Reference: https://api.slack.com/messaging/webhooks#handling_errors
SLACK_ERRORS = {
    "invalid_payload": "Slack could not read the test message.",
    "invalid_token": "Slack says this webhook is no longer valid; create a new one.",
    "action_prohibited": "A Slack admin has restricted posting to this channel.",
    "no_service": "Slack says this webhook is disabled or was removed; create a new one.",
    "no_active_hooks": "Slack says this webhook is disabled; create a new one.",
    "channel_not_found": "The webhook's channel no longer exists.",
    "channel_is_archived": "The webhook's channel is archived.",
    "posting_to_general_channel_denied": "Only admins may post to that channel.",
    "team_disabled": "That Slack workspace is disabled.",
    "invalid_blocks": "Slack refused the message's layout.",
    "invalid_blocks_format": "Slack refused the message's layout.",
    "missing_text_or_fallback_or_attachments": "Slack refused a message without text.",
}
# Answers after which the webhook will never post again: it was removed or disabled (404),
# its channel archived or its workspace disabled (410), its token revoked.
# Reference: https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks
SLACK_GONE_STATUSES = (404, 410)
SLACK_GONE_ERRORS = frozenset(
    {"no_service", "no_active_hooks", "invalid_token", "channel_not_found", "no_team"}
    | {"channel_is_archived", "team_disabled"}
)


def slack_webhook_check_shape(url: str) -> str:
    """Return the webhook URL if it looks like Slack's, else raise a problem."""
    prefix = settings.SLACK_WEBHOOK_URL_PREFIX
    value = url.strip()
    pattern = re.escape(prefix) + r"T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"
    if not re.fullmatch(pattern, value):
        raise IntegrationProblem(
            f"That is not a Slack incoming-webhook URL; it looks like {prefix}T…/B…/…"
        )
    return value


def slack_webhook_post(*, url: str, text: str, blocks: list | None = None) -> None:
    """Post a message through an incoming webhook; Slack answers 200 "ok" on success.

    Raises `SlackWebhookGone` when the webhook is gone for good, else `IntegrationProblem`.
    """
    # Reference: https://api.slack.com/messaging/webhooks#posting_with_webhooks
    # With blocks, `text` is the notification's and screen readers' fallback.
    # Reference: https://api.slack.com/reference/messaging/payload
    payload = {"text": text, **({"blocks": blocks} if blocks else {})}
    try:
        response = outbound_request(
            "POST",
            url,
            json=payload,
            headers={"User-Agent": USER_AGENT},
            timeout=TIMEOUT_SECONDS,
        )
    except OutboundProblem as exc:
        raise IntegrationProblem(str(exc)) from exc
    except requests.Timeout as exc:
        raise IntegrationProblem("Slack did not answer in time; try again.") from exc
    except requests.RequestException as exc:
        raise IntegrationProblem("Could not reach Slack; try again.") from exc
    body = response.text.strip()
    logger.info("[slack] webhook answered %s", response.status_code)
    if response.status_code == 200 and body == "ok":
        return
    if response.status_code >= 500 and body not in SLACK_ERRORS:
        raise IntegrationProblem(
            f"Slack had a problem (HTTP {response.status_code}); try again in a few minutes."
        )
    reason = SLACK_ERRORS.get(body, f"Slack refused the message (HTTP {response.status_code}).")
    if response.status_code in SLACK_GONE_STATUSES or body in SLACK_GONE_ERRORS:
        raise SlackWebhookGone(reason)
    raise IntegrationProblem(reason)
