"""The client's address, which a proxy in front of the app (BEHIND_PROXY) passes on."""

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind a proxy the address that proxy saw.

    The proxy appends the address it saw to X-Forwarded-For, so only the last entry is
    trustworthy; the earlier ones came from the client and can say anything.
    """
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops[-1]:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")
