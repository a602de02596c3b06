"""The token in an invitation link: Django's signing of the invitation's id and send count.

The signature (keyed by SECRET_KEY, with a salt of its own) proves that the link came from
us; whether it still works (not used, revoked, replaced by a newer send or expired) is read
from the invitation itself, so every refusal can say which of these it is.
"""

from django.core import signing

SALT = "tformance.teams.invitation"


def invitation_token_make(*, invitation_id: int, sends: int) -> str:
    return signing.dumps([invitation_id, sends], salt=SALT)


def invitation_token_read(*, token: str) -> tuple[int, int] | None:
    """The (invitation id, send count) a token was made for, or None if it is not ours."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    match value:
        case [int(invitation_id), int(sends)]:
            return invitation_id, sends
    return None
