"""Which address a request comes from: REMOTE_ADDR, unless a trusted proxy says otherwise.

X-Forwarded-For is read only when the peer is a trusted proxy (FENGKONG_TRUSTED_PROXIES), and
then from the right: the first hop that is not itself a trusted proxy is the client. Everything
to its left was written by the client and proves nothing.
"""

import pytest
from django.test import RequestFactory, override_settings

from apps.core.client_address import client_address

PROXIES = ["10.0.0.0/8", "fd00::/8"]


def address(remote_addr: str, forwarded_for: str | None = None) -> str:
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    with override_settings(FENGKONG_TRUSTED_PROXIES=[]):
        assert address("198.51.100.7", "6.6.6.6") == "198.51.100.7"
        assert address("127.0.0.1", "6.6.6.6, 127.0.0.1") == "127.0.0.1"


@override_settings(FENGKONG_TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
        # the client's own claim (left) is skipped: the proxy appended the real peer
        ("10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        # a chain of trusted proxies is walked from the right
        ("10.0.0.5", "6.6.6.6, 203.0.113.7, 10.1.2.3", "203.0.113.7"),
        ("fd00::1", "2001:db8::42, fd00::2", "2001:db8::42"),
        # ports and brackets as some proxies write them
        ("10.0.0.5", "203.0.113.7:4711", "203.0.113.7"),
        ("10.0.0.5", "[2001:db8::42]:443", "2001:db8::42"),
        # garbage from the left ends the walk at the last hop we could trust
        ("10.0.0.5", "not-an-address, 10.1.2.3", "10.1.2.3"),
        ("10.0.0.5", "", "10.0.0.5"),
        # a peer that is not a trusted proxy is the client, whatever it claims
        ("198.51.100.1", "6.6.6.6", "198.51.100.1"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(
    remote_addr, forwarded_for, expected
):
    assert address(remote_addr, forwarded_for) == expected


def test_a_malformed_setting_is_refused_at_startup():
    from apps.core.client_address import parse_networks

    with pytest.raises(ValueError):
        parse_networks(["10.0.0.0/8", "not-a-network"])
    assert [str(n) for n in parse_networks(" 10.0.0.0/8 , 192.0.2.1 ")] == [
        "10.0.0.0/8",
        "192.0.2.1/32",
    ]
