"""The Jira and Slack validation calls, over real HTTP to a local stub."""

import base64

import pytest

from tformance.integrations.clients import (
    IntegrationProblem,
    jira_myself,
    jira_site_normalize,
    slack_webhook_check_shape,
    slack_webhook_post,
)

MYSELF = "/rest/api/3/myself"


def test_jira_myself_sends_basic_auth_and_returns_the_account(http_stub):
    http_stub.answer(
        "GET",
        MYSELF,
        200,
        {"accountId": "5b10a2844c20165700ede21g", "displayName": "Maya Chen", "active": True},
    )

    account = jira_myself(site_url=http_stub.url, email="maya@acme.dev", api_token="tok")

    assert account.account_id == "5b10a2844c20165700ede21g"
    assert account.display_name == "Maya Chen"
    (request,) = http_stub.requests
    expected = base64.b64encode(b"maya@acme.dev:tok").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    ("status", "says"),
    [(401, "rejected the email and API token"), (403, "CAPTCHA"), (404, "no Jira REST API")],
)
def test_jira_refusals_become_readable_problems(http_stub, status, says):
    http_stub.answer("GET", MYSELF, status, {"errorMessages": ["nope"]})

    with pytest.raises(IntegrationProblem, match=says):
        jira_myself(site_url=http_stub.url, email="maya@acme.dev", api_token="tok")


def test_an_unreachable_jira_site_is_a_problem_not_a_crash(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True  # port 1 on loopback: nothing listens there
    with pytest.raises(IntegrationProblem, match="Could not reach"):
        jira_myself(site_url="http://127.0.0.1:1", email="a@b.co", api_token="t")


@pytest.mark.parametrize(
    ("given", "site"),
    [
        ("acme.atlassian.net", "https://acme.atlassian.net"),
        ("https://acme.atlassian.net/jira/software/projects", "https://acme.atlassian.net"),
        ("https://acme.atlassian.net/", "https://acme.atlassian.net"),
    ],
)
def test_jira_site_addresses_are_normalised(given, site):
    assert jira_site_normalize(given) == site


def test_plain_http_is_refused_for_a_real_jira_site():
    with pytest.raises(IntegrationProblem, match="https"):
        jira_site_normalize("http://acme.atlassian.net")


@pytest.fixture
def slack_prefix(http_stub, settings):
    settings.SLACK_WEBHOOK_URL_PREFIX = f"{http_stub.url}/services/"
    return settings.SLACK_WEBHOOK_URL_PREFIX


def test_a_slack_webhook_must_have_slacks_shape(slack_prefix):
    assert slack_webhook_check_shape(f" {slack_prefix}T0001/B0001/abcDEF123 ")
    for wrong in ("https://example.com/hook", f"{slack_prefix}T0001/abc", "not a url"):
        with pytest.raises(IntegrationProblem, match="not a Slack incoming-webhook URL"):
            slack_webhook_check_shape(wrong)


def test_the_default_shape_is_hooks_slack_com():
    assert slack_webhook_check_shape("https://hooks.slack.com/services/T01/B02/xyz")


def test_a_slack_test_post_sends_json_text(http_stub, slack_prefix):
    http_stub.answer("POST", "/services/T1/B1/s3cret", 200, "ok")

    slack_webhook_post(url=f"{slack_prefix}T1/B1/s3cret", text="hello")

    assert http_stub.requests[0].body == b'{"text": "hello"}'


@pytest.mark.parametrize(
    ("status", "body", "says"),
    [(404, "no_service", "disabled or was removed"), (410, "channel_is_archived", "archived")],
)
def test_slack_errors_become_readable_problems(http_stub, slack_prefix, status, body, says):
    http_stub.answer("POST", "/services/T1/B1/s3cret", status, body)

    with pytest.raises(IntegrationProblem, match=says):
        slack_webhook_post(url=f"{slack_prefix}T1/B1/s3cret", text="hello")
