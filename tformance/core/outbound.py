"""HTTP requests to addresses that users type (a Jira site, a Slack webhook).

Every such request goes through `outbound_request`, so a user cannot make the server call
itself, its internal network or a cloud metadata address (SSRF). The host is resolved once,
when the connection is opened, every answer is checked, and the socket connects to the
address that was checked: a DNS answer that changes between a check and the request (DNS
rebinding) cannot reach an internal address. Redirects are never followed, and proxies from
the environment are ignored so that the check sees the real destination. Every refusal,
whatever the reason or the port, carries one message, so the answers cannot map a network.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import SplitResult, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

logger = logging.getLogger(__name__)

REFUSED_MESSAGE = (
    "Tformance cannot connect to that address. Enter the service's public internet address; "
    "local and private-network addresses are not allowed."
)
INVALID_URL_MESSAGE = "That is not a valid web address; it looks like https://host.example.com."
INVALID_HOST_MESSAGE = (
    "That is not a valid host name: each part between dots has 1 to 63 characters, "
    "and the whole name at most 253."
)


class OutboundProblem(Exception):
    """The request was not sent; the message tells the user why."""


class OutboundURLInvalid(OutboundProblem):
    """What the user typed is not a usable http(s) URL."""


class OutboundRefused(OutboundProblem):
    """The host does not resolve, or resolves to an address that is not public."""

    def __init__(self) -> None:
        super().__init__(REFUSED_MESSAGE)


def address_is_public(address: str) -> bool:
    """Whether the server may connect to this IP address (loopback only if allowed)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    if ip.is_loopback and settings.OUTBOUND_ALLOW_LOOPBACK:
        return True
    internal = (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or getattr(ip, "is_site_local", False)
    )
    # is_global also excludes what the flags above leave out, e.g. 100.64.0.0/10 (carrier NAT).
    return ip.is_global and not internal


def outbound_url_split(url: str) -> SplitResult:
    """The parts of an http(s) URL, or `OutboundURLInvalid` saying what is wrong with it."""
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # both parse lazily and raise on garbage
    except ValueError as exc:
        raise OutboundURLInvalid(INVALID_URL_MESSAGE) from exc
    if parts.scheme not in ("http", "https") or not host:
        raise OutboundURLInvalid(INVALID_URL_MESSAGE)
    if not _host_name_is_valid(host):
        raise OutboundURLInvalid(INVALID_HOST_MESSAGE)
    return parts


def _host_name_is_valid(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        encoded = host.rstrip(".").encode("idna")  # refuses empty labels and labels over 63
    except UnicodeError:
        return False
    return 0 < len(encoded) <= 253


def outbound_request(method: str, url: str, **kwargs) -> requests.Response:
    """`requests.request` to a public address only; never follows a redirect.

    Raises `OutboundURLInvalid` or `OutboundRefused` before anything is sent, and the
    usual `requests` exceptions for a public address that fails.
    """
    outbound_url_split(url)
    with requests.Session() as session:
        session.trust_env = False
        adapter = _CheckedAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.request(method, url, allow_redirects=False, **kwargs)


def _checked_address(host: str, port: int) -> str:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        logger.info("outbound: %s does not resolve", host)
        raise OutboundRefused() from exc
    addresses = [answer[4][0] for answer in answers]
    if not addresses or not all(address_is_public(address) for address in addresses):
        logger.warning("outbound: refused %s, which resolves to %s", host, addresses)
        raise OutboundRefused()
    return addresses[0]


class _CheckedConnectionMixin:
    """Open the socket to a checked address of the host; TLS still verifies the host name."""

    def _new_conn(self) -> socket.socket:
        address = _checked_address(self.host, self.port)
        try:
            return create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to connect to {self.host}: {exc}") from exc


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }
