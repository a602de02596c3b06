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
