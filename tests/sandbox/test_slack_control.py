"""The /_sandbox/slack control endpoints and the HTML page of the recorded posts."""

import requests


def test_messages_are_listed_as_json(github_sandbox):
    url = github_sandbox.slack.webhook_url(secret="abc123")
    requests.post(url, json={"text": "hello"})

    listed = requests.get(github_sandbox.url + "/_sandbox/slack/messages").json()

    (message,) = listed["messages"]
    assert message["text"] == "hello"
    assert message["webhook"] == "T00000001/B00000001/abc123"
    assert message["received_at"].endswith("Z")


def test_a_webhook_can_be_revoked_and_restored_over_http(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    control = github_sandbox.url + "/_sandbox/slack/"

    revoked = requests.post(control + "revoke", json={"webhook": url, "error": "team_disabled"})
    refused = requests.post(url, json={"text": "hi"})
    requests.post(control + "restore", json={"webhook": url})
    accepted = requests.post(url, json={"text": "hi"})
    bad = requests.post(control + "revoke", json={"webhook": url, "error": "nope"})

    assert revoked.json() == {"refused": "team_disabled", "status": 410}
    assert (refused.status_code, refused.text) == (410, "team_disabled")
    assert accepted.status_code == 200
    assert bad.status_code == 422


def test_the_next_posts_can_fail_with_a_5xx_and_are_not_recorded(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    control = github_sandbox.url + "/_sandbox/slack/fail"

    told = requests.post(control, json={"count": 2, "status": 500})
    failed = [requests.post(url, json={"text": "hi"}) for _ in range(2)]
    accepted = requests.post(url, json={"text": "hi"})
    bad = requests.post(control, json={"status": 404})

    assert told.json() == {"failing": 2}
    assert [(r.status_code, r.text) for r in failed] == [(500, "Internal Server Error")] * 2
    assert accepted.status_code == 200
    assert len(github_sandbox.slack.messages()) == 1
    assert bad.status_code == 422


def test_reset_forgets_messages_and_refusals(github_sandbox):
    url = github_sandbox.slack.webhook_url()
    requests.post(url, json={"text": "hi"})
    github_sandbox.slack.revoke(url)

    requests.post(github_sandbox.url + "/_sandbox/slack/reset")

    assert github_sandbox.slack.messages() == []
    assert requests.post(url, json={"text": "hi"}).status_code == 200


def test_the_page_draws_blocks_and_escapes_what_they_carry(github_sandbox):
    url = github_sandbox.slack.webhook_url(secret="topsecret")
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Week <b>of</b> 3 Mar"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Merged PRs*\n<https://app.test/d?a=1&b=2|12>"},
                {"type": "mrkdwn", "text": "<javascript:alert(1)|click> &lt;script&gt;"},
            ],
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "_from Tformance_"}]},
    ]
    requests.post(url, json={"text": "fallback", "blocks": blocks})

    page = requests.get(github_sandbox.url + "/_sandbox/slack")

    assert page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert "<h2>Week &lt;b&gt;of&lt;/b&gt; 3 Mar</h2>" in html
    assert "<b>Merged PRs</b>" in html
    assert '<a href="https://app.test/d?a=1&amp;b=2">12</a>' in html
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<hr>" in html and "<i>from Tformance</i>" in html
    assert "topsecret" not in html
