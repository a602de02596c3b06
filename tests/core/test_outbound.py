"""The outbound guard: a URL a user typed never reaches this machine or an internal network.

Real HTTP against a stub on loopback; only DNS answers are made up (there is no resolver
here that could answer a name with a chosen address).
"""

import socket

import pytest
import requests

from tformance.core.outbound import (
    REFUSED_MESSAGE,
    OutboundRefused,
    OutboundURLInvalid,
    outbound_request,
)


@pytest.fixture
def connections(monkeypatch):
    """Every address this test's code tried to connect a TCP socket to."""
    tried = []
    real_connect = socket.socket.connect

    def recording_connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            tried.append(address[0])
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    return tried


@pytest.fixture
def dns(monkeypatch):
    """Answer chosen names with chosen addresses, one list of answers per lookup."""
    answers: dict[str, list[list[str]]] = {}
    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups = answers[host]
        addresses = lookups.pop(0) if len(lookups) > 1 else lookups[0]
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port or 0) if ":" not in a else (a, port or 0, 0, 0),
            )
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    return answers


@pytest.fixture
def loopback_refused(http_stub, settings):
    """The stub runs on loopback, but loopback is not allowed, as in production."""
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    return http_stub


def _port(stub) -> int:
    return int(stub.url.rsplit(":", 1)[1])


def test_a_public_guarded_request_reaches_the_server_when_loopback_is_allowed(http_stub):
    http_stub.answer("GET", "/ping", 200, "pong")

    response = outbound_request("GET", f"{http_stub.url}/ping", timeout=5)

    assert (response.status_code, response.text) == (200, "pong")


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}/",
        "http://127.0.0.1:22/",
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://0.0.0.0:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://10.0.0.5/",
        "https://10.1.2.3:8443/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://240.0.0.1/",
        "http://[::]/",
    ],
)
def test_internal_addresses_are_refused_with_one_message_and_no_connection(
    loopback_refused, connections, template
):
    url = template.format(port=_port(loopback_refused))

    with pytest.raises(OutboundRefused) as refused:
        outbound_request("GET", url, timeout=5)

    assert str(refused.value) == REFUSED_MESSAGE
    assert connections == []
    assert loopback_refused.requests == []


def test_a_name_that_resolves_to_loopback_is_refused(loopback_refused, connections, dns):
    dns["jira.attacker.example"] = [["127.0.0.1"]]

    with pytest.raises(OutboundRefused, match=REFUSED_MESSAGE):
        outbound_request("GET", f"http://jira.attacker.example:{_port(loopback_refused)}/")

    assert connections == []
    assert loopback_refused.requests == []


def test_a_name_with_one_internal_answer_among_public_ones_is_refused(
    loopback_refused, connections, dns
):
    dns["mixed.attacker.example"] = [["93.184.216.34", "10.0.0.7"]]

    with pytest.raises(OutboundRefused, match=REFUSED_MESSAGE):
        outbound_request("GET", "http://mixed.attacker.example/")

    assert connections == []


def test_a_name_that_does_not_resolve_gets_the_same_message(connections):
    with pytest.raises(OutboundRefused, match=REFUSED_MESSAGE):
        outbound_request("GET", "http://no-such-host.invalid/")

    assert connections == []


def test_a_dns_answer_that_turns_internal_after_a_first_lookup_cannot_reach_it(
    loopback_refused, connections, dns
):
    # Rebinding: the first lookup says public, every later one says loopback. The guard
    # resolves once, when it connects, and connects to the address it checked.
    port = _port(loopback_refused)
    dns["rebind.attacker.example"] = [["93.184.216.34"], ["127.0.0.1"]]

    with pytest.raises(requests.ConnectionError):  # the tests' internet guard: 93.184.216.34
        outbound_request("GET", f"http://rebind.attacker.example:{port}/", timeout=5)

    assert connections == ["93.184.216.34"]
    assert loopback_refused.requests == []


def test_redirects_are_not_followed(http_stub, connections):
    http_stub.answer("GET", "/", 302, "", headers={"Location": "http://169.254.169.254/"})

    response = outbound_request("GET", f"{http_stub.url}/", timeout=5)

    assert response.status_code == 302
    assert connections == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://[::1", "not a valid web address"),
        ("https://acme.atlassian.net:99999/", "not a valid web address"),
        ("ftp://acme.atlassian.net/", "not a valid web address"),
        (f"https://{'a' * 250}.atlassian.net/", "not a valid host name"),
        (f"https://{'abc.' * 70}net/", "not a valid host name"),
    ],
)
def test_a_malformed_url_says_what_is_wrong_without_connecting(connections, url, says):
    with pytest.raises(OutboundURLInvalid, match=says):
        outbound_request("GET", url)

    assert connections == []
