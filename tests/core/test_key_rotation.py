import pickle

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_cryptography.utils.crypto import FernetBytes

from tests.helpers.factories import GitHubIntegrationFactory
from tformance.core.crypto import cryptography_key_derive
from tformance.github.models import GitHubIntegration

pytestmark = pytest.mark.django_db


def store_under_key(integration, token: str, raw_key: str) -> None:
    """Write the column as a deployment running with `raw_key` would have."""
    ciphertext = FernetBytes(cryptography_key_derive(raw_key)).encrypt(pickle.dumps(token))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {GitHubIntegration._meta.db_table} SET access_token = %s WHERE id = %s",
            [ciphertext, integration.pk],
        )


def test_rotation_reencrypts_tokens_written_under_the_old_key(monkeypatch):
    integration = GitHubIntegrationFactory()
    untouched = GitHubIntegrationFactory(access_token="gho_already_under_the_new_key")
    store_under_key(integration, "gho_written_long_ago", "the-old-key")
    monkeypatch.setenv("OLD_CRYPTOGRAPHY_KEY", "the-old-key")

    call_command("rotate_cryptography_key")

    assert GitHubIntegration.objects.get(pk=integration.pk).access_token == "gho_written_long_ago"
    assert (
        GitHubIntegration.objects.get(pk=untouched.pk).access_token
        == "gho_already_under_the_new_key"
    )


def test_rotation_with_the_wrong_old_key_changes_nothing_and_says_so(monkeypatch):
    integration = GitHubIntegrationFactory()
    store_under_key(integration, "gho_written_long_ago", "the-old-key")
    monkeypatch.setenv("OLD_CRYPTOGRAPHY_KEY", "not-the-old-key")

    with pytest.raises(CommandError, match="readable with neither key"):
        call_command("rotate_cryptography_key")
