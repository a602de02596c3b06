"""The client's address, which a proxy in front of the app (BEHIND_PROXY) passes on."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind a proxy the address that proxy saw.

    The proxy appends the address it saw to X-Forwarded-For, so only the last entry is
    trustworthy; the earlier ones came from the client and can say anything.
    """
    if settings.BEHIND_PROXY:
        last_hop = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last_hop))
        except ValueError:
            pass  # no header, or not from the proxy: the peer is all we know
    return request.META.get("REMOTE_ADDR", "")
