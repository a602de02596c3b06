import pytest
import requests


class Client:
    """Tiny HTTP helper bound to one sandbox and token."""

    def __init__(self, gh, token=None, enterprise=False):
        self.gh, self.token = gh, token or gh.token
        self.base = gh.enterprise_api_url if enterprise else gh.api_url
        self.graphql_url = gh.enterprise_graphql_url if enterprise else gh.graphql_url

    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path, **kwargs):
        url = path if path.startswith("http") else self.base + path
        return requests.get(url, headers=self.headers(), allow_redirects=False, **kwargs)

    def graphql(self, query, variables=None):
        return requests.post(
            self.graphql_url,
            headers=self.headers(),
            json={"query": query, "variables": variables or {}},
        )


@pytest.fixture
def client(github_sandbox):
    return Client(github_sandbox)


@pytest.fixture
def make_client():
    return Client


class JiraClient:
    """Tiny HTTP helper for the sandbox's Jira site, with basic auth as Atlassian takes it."""

    def __init__(self, gh, auth=None):
        self.gh, self.site = gh, gh.jira.url
        self.auth = auth if auth is not None else gh.jira.auth

    def get(self, path, **kwargs):
        return requests.get(self.site + path, auth=self.auth, **kwargs)

    def post(self, path, body=None, **kwargs):
        return requests.post(self.site + path, auth=self.auth, json=body, **kwargs)

    def search(self, jql, **body):
        return self.post("/rest/api/3/search/jql", {"jql": jql, **body})

    def search_all(self, jql, **body):
        """Every page of a search, following nextPageToken; returns (issues, pages)."""
        issues, pages, token = [], [], None
        while True:
            page = self.search(jql, **body, **({"nextPageToken": token} if token else {}))
            assert page.status_code == 200, page.text
            data = page.json()
            pages.append(data)
            issues += data["issues"]
            token = data.get("nextPageToken")
            if data["isLast"]:
                return issues, pages


@pytest.fixture
def jira(github_sandbox):
    return JiraClient(github_sandbox)
