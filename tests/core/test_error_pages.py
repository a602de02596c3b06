"""404, 403 and 500 answer with pages in the product's layout, with a way back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("", include("config.urls")),
]


def in_the_layout(response) -> str:
    text = response.content.decode()
    assert 'class="topbar"' in text and "/static/css/app.css" in text
    assert 'href="/"' in text  # the way back
    return text


def test_a_page_that_does_not_exist_is_a_404_page_in_the_layout(client, member):
    client.force_login(member)

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    text = in_the_layout(response)
    assert "Page not found" in text
    assert "member@example.com" in text  # the page knows who is there


def test_another_teams_dashboard_is_the_same_404_page(client, outsider, team):
    client.force_login(outsider)

    response = client.get(f"/t/{team.slug}/")

    assert response.status_code == 404
    assert "Page not found" in in_the_layout(response)


@pytest.mark.urls(__name__)
def test_a_bug_is_a_500_page_in_the_layout_with_nothing_of_the_user(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)

    response = client.get("/boom/")

    assert response.status_code == 500
    text = in_the_layout(response)
    assert "Something went wrong" in text
    assert "member@example.com" not in text and "Log out" not in text


def test_the_500_page_renders_without_a_request_context():
    """Django renders 500.html with an empty context: no user, no request, no csrf token."""
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in in_the_layout(response)


@pytest.mark.urls(__name__)
def test_a_forbidden_page_is_a_403_page_in_the_layout(client, member):
    client.force_login(member)

    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "You cannot open this page" in in_the_layout(response)


@pytest.mark.urls(__name__)
def test_with_debug_on_the_demo_shows_the_products_pages(settings, member):
    settings.DEBUG = True
    settings.PRODUCT_ERROR_PAGES = True
    client = Client(raise_request_exception=False)
    client.force_login(member)

    missing, broken = client.get("/no/such/page/"), client.get("/boom/")

    assert missing.status_code == 404 and "Page not found" in in_the_layout(missing)
    assert broken.status_code == 500 and "Something went wrong" in in_the_layout(broken)
    assert "Traceback" not in broken.content.decode()


@pytest.mark.urls(__name__)
def test_with_debug_on_development_keeps_djangos_technical_pages(settings):
    settings.DEBUG = True
    settings.PRODUCT_ERROR_PAGES = False
    client = Client(raise_request_exception=False)

    missing, broken = client.get("/no/such/page/"), client.get("/boom/")

    assert missing.status_code == 404 and "URLconf" in missing.content.decode()
    assert broken.status_code == 500 and "Traceback" in broken.content.decode()
