"""The sandbox's Slack incoming webhooks, over real HTTP."""

import requests

from github_sandbox.slack.store import MAX_BLOCKS


def _section(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_a_post_is_recorded_and_answered_ok_like_slack(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Weekly"}}]

    response = requests.post(url, json={"text": "Weekly digest", "blocks": blocks})

    assert (response.status_code, response.text) == (200, "ok")
    (message,) = github_sandbox.slack.messages(url)
    assert message.text == "Weekly digest"
    assert message.blocks == blocks
    assert message.received_at.tzinfo is not None
    assert url.endswith(message.webhook)


def test_messages_are_kept_per_webhook(github_sandbox):
    first, second = github_sandbox.slack.webhook_url(), github_sandbox.slack.webhook_url()
    requests.post(first, json={"text": "one"})
    requests.post(second, json={"text": "two"})

    assert [m.text for m in github_sandbox.slack.messages(first)] == ["one"]
    assert [m.text for m in github_sandbox.slack.messages()] == ["one", "two"]


def test_a_revoked_webhook_answers_404_no_service_and_records_nothing(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    github_sandbox.slack.revoke(url)

    response = requests.post(url, json={"text": "hello"})

    assert (response.status_code, response.text) == (404, "no_service")
    assert github_sandbox.slack.messages() == []


def test_an_archived_channel_answers_410_until_restored(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    github_sandbox.slack.revoke(url, error="channel_is_archived")
    gone = requests.post(url, json={"text": "hello"})
    github_sandbox.slack.restore(url)
    back = requests.post(url, json={"text": "hello"})

    assert (gone.status_code, gone.text) == (410, "channel_is_archived")
    assert back.status_code == 200


def test_a_body_that_is_not_json_is_an_invalid_payload(github_sandbox):
    response = requests.post(github_sandbox.slack.webhook_url(), data=b"text=hi")

    assert (response.status_code, response.text) == (400, "invalid_payload")


def test_more_than_fifty_blocks_are_refused_as_invalid_blocks(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    ok = requests.post(url, json={"text": "t", "blocks": [_section("x")] * MAX_BLOCKS})
    refused = requests.post(url, json={"text": "t", "blocks": [_section("x")] * (MAX_BLOCKS + 1)})

    assert ok.status_code == 200
    assert (refused.status_code, refused.text) == (400, "invalid_blocks")
    assert len(github_sandbox.slack.messages()) == 1


def test_blocks_over_slacks_text_limits_are_refused(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    long_header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    eleven_fields = {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": "f"}] * 11,
    }

    answers = [
        requests.post(url, json={"text": "t", "blocks": blocks})
        for blocks in ([long_header], [_section("s" * 3001)], [eleven_fields])
    ]

    assert [(a.status_code, a.text) for a in answers] == [(400, "invalid_blocks")] * 3


def test_a_message_without_text_or_blocks_is_refused(github_sandbox):
    response = requests.post(github_sandbox.slack.webhook_url(), json={"username": "x"})

    assert (response.status_code, response.text) == (400, "missing_text_or_fallback_or_attachments")


def test_a_path_not_shaped_like_a_webhook_is_no_service(github_sandbox):
    response = requests.post(github_sandbox.url + "/services/nope", json={"text": "hi"})

    assert (response.status_code, response.text) == (404, "no_service")
