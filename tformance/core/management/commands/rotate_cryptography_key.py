import os

from django.core.management.base import BaseCommand, CommandError
from django_cryptography.utils.crypto import InvalidToken

from tformance.core.crypto import secrets_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt stored secrets (GitHub tokens, …) from the previous CRYPTOGRAPHY_KEY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--old-key-env",
            default="OLD_CRYPTOGRAPHY_KEY",
            metavar="VAR",
            help="environment variable holding the previous key (default OLD_CRYPTOGRAPHY_KEY)",
        )

    def handle(self, *args, old_key_env, **options):
        old_key = os.environ.get(old_key_env, "")
        if not old_key:
            raise CommandError(f"Environment variable {old_key_env} holds no key.")
        try:
            done = secrets_reencrypt(old_raw_key=old_key)
        except InvalidToken as exc:
            raise CommandError(
                f"Some values are readable with neither key; is {old_key_env} the previous key?"
            ) from exc
        for name, count in done.items():
            self.stdout.write(f"{name}: {count} re-encrypted")
