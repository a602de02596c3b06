import pytest
from django.db import connection

from tests.helpers.factories import GitHubIntegrationFactory
from tformance.core.secrets import token_fingerprint
from tformance.github.models import GitHubIntegration

pytestmark = pytest.mark.django_db

TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a"


def stored_token_column(pk: int) -> bytes:
    table = GitHubIntegration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT access_token FROM {table} WHERE id = %s", [pk])
        value = cursor.fetchone()[0]
    return bytes(value) if not isinstance(value, str) else value.encode()


def test_the_token_column_holds_ciphertext_not_the_token():
    integration = GitHubIntegrationFactory(access_token=TOKEN)

    raw = stored_token_column(integration.pk)

    assert TOKEN.encode() not in raw
    assert TOKEN[4:20].encode() not in raw
    assert len(raw) > len(TOKEN)


def test_the_token_reads_back_decrypted():
    integration = GitHubIntegrationFactory(access_token=TOKEN)

    assert GitHubIntegration.objects.get(pk=integration.pk).access_token == TOKEN


def test_the_token_hint_shows_only_a_prefix_and_the_length():
    integration = GitHubIntegrationFactory(access_token=TOKEN)

    hint = token_fingerprint(integration.access_token)
    assert hint == f"gho_…({len(TOKEN)})"
    assert TOKEN[4:] not in hint


def test_the_string_form_never_contains_the_token():
    integration = GitHubIntegrationFactory(access_token=TOKEN)

    assert TOKEN not in str(integration) and TOKEN not in repr(integration)
