"""The sandbox's web pages: the `html_url`s it hands out open in a browser, as on github.com."""

import requests

from github_sandbox.world import HARD_CASES_REPO


def browse(url):
    """A browser's GET: no token, HTML preferred."""
    return requests.get(url, headers={"Accept": "text/html,*/*;q=0.8"}, allow_redirects=False)


def test_a_pull_requests_html_url_opens_a_page_about_it(client, github_sandbox):
    pr = client.get(f"/repos/{HARD_CASES_REPO}/pulls/1").json()

    page = browse(pr["html_url"])

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert f"{HARD_CASES_REPO}#1" in page.text
    assert pr["title"].replace("&", "&amp;") in page.text or pr["title"] in page.text
    assert pr["user"]["login"] in page.text
    assert f'href="{github_sandbox.url}/{HARD_CASES_REPO}"' in page.text


def test_a_merged_pull_request_says_so(github_sandbox):
    world = github_sandbox.world
    merged = next(p for p in world.all_pulls(HARD_CASES_REPO) if p.merged)

    page = browse(f"{github_sandbox.url}/{HARD_CASES_REPO}/pull/{merged.number}")

    assert "Merged" in page.text


def test_a_repository_and_an_organisation_have_pages_linking_their_pull_requests(
    client, github_sandbox
):
    repo = client.get(f"/repos/{HARD_CASES_REPO}").json()
    newest = client.get(f"/repos/{HARD_CASES_REPO}/pulls?state=all&sort=created").json()[0]

    page = browse(repo["html_url"])
    org = browse(repo["owner"]["html_url"])

    assert page.status_code == 200 and HARD_CASES_REPO in page.text
    assert f'href="{newest["html_url"]}"' in page.text
    assert org.status_code == 200 and f'href="{repo["html_url"]}"' in org.text


def test_a_web_path_that_names_nothing_is_an_html_404(github_sandbox):
    for path in ("/acme/no-such-repo", f"/{HARD_CASES_REPO}/pull/999999", "/nobody-at-all"):
        page = browse(github_sandbox.url + path)
        assert page.status_code == 404, path
        assert page.headers["Content-Type"].startswith("text/html"), path


def test_the_api_still_answers_json_on_its_own_paths(github_sandbox):
    for path in ("/users/maya-chen", f"/repos/{HARD_CASES_REPO}", "/user/orgs", "/rate_limit"):
        response = browse(github_sandbox.url + path)
        assert response.status_code == 401, path
        assert response.json()["message"] == "Requires authentication", path
