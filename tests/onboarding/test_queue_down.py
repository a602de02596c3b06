"""Step 3 with the broker down: the user is told, and nothing is lost."""

import pytest
from django.urls import reverse

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.web import HTMX
from tests.helpers.workers import DeadBrokerSwap
from tformance.onboarding.views.feedback import QUEUE_DOWN

pytestmark = pytest.mark.django_db(transaction=True)  # commits for real, as a request does


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_choosing_repositories_with_the_broker_down_says_so_instead_of_a_500(
    client, at_step, wizard_team, sandbox
):
    at_step("repos")
    client.get(reverse("onboarding:repos_list"), **HTMX)
    monolith = sandbox.world.repo_by_full_name(HARD_CASES_REPO)

    with DeadBrokerSwap():
        response = client.post(
            reverse("onboarding:repos"),
            {"repositories": [monolith.id], "days_back": "90"},
            follow=True,
        )

    assert response.status_code == 200
    assert QUEUE_DOWN in flashed(response)
    (row,) = client.get(reverse("onboarding:sync_status")).json()["repositories"]
    assert row["status"] == "pending" and row["can_retry"]
