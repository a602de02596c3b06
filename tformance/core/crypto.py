"""Re-encrypt every encrypted column after CRYPTOGRAPHY_KEY changes (key rotation)."""

import pickle
from collections.abc import Iterator

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils.encoding import force_bytes
from django_cryptography.fields import EncryptedMixin
from django_cryptography.utils.crypto import FernetBytes, InvalidToken


def cryptography_key_derive(raw_key: str) -> bytes:
    """Derive the Fernet key from a raw key exactly as django-cryptography does."""
    kdf = PBKDF2HMAC(
        algorithm=hashes.SHA256(),
        length=hashes.SHA256.digest_size,
        salt=force_bytes(settings.CRYPTOGRAPHY_SALT),
        iterations=30000,
    )
    return kdf.derive(force_bytes(raw_key))


def encrypted_fields() -> Iterator[tuple[type[models.Model], models.Field]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedMixin):
                yield model, field


def secrets_reencrypt(*, old_raw_key: str) -> dict[str, int]:
    """Re-encrypt values written under `old_raw_key` with the current key.

    Values already readable with the current key are left alone, so a second run is
    harmless. Returns {"app.Model.field": rows re-encrypted}.
    """
    old = FernetBytes(cryptography_key_derive(old_raw_key))
    current = FernetBytes()
    done = {}
    for model, field in encrypted_fields():
        table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "
                f"WHERE {quote(column)} IS NOT NULL"
            )
            count = 0
            for row_pk, raw in cursor.fetchall():
                raw = bytes(raw)
                try:
                    current.decrypt(raw)
                    continue  # already under the current key
                except InvalidToken:
                    value = pickle.loads(old.decrypt(raw))
                model.objects.filter(pk=row_pk).update(**{field.name: value})
                count += 1
        done[f"{model._meta.label}.{field.name}"] = count
    return done
