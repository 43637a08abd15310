"""The address a request really comes from, for sign-in throttling (axes) and the audit trail.

REMOTE_ADDR is the peer of the socket. Only when that peer is a trusted proxy
(FENGKONG_TRUSTED_PROXIES, CIDRs) is X-Forwarded-For read, from the right: each trusted proxy
appends the address it received the request from, so the right-most hop that is not itself a
trusted proxy is the client. Whatever lies to its left was written by the client and proves
nothing. Without trusted proxies the header is ignored: anyone can send it.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """CIDRs (or single addresses) from a comma-separated string or a list; ValueError if bad."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


@lru_cache(maxsize=8)
def _trusted(setting: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(setting)


def _parse(value: str) -> Address | None:
    """An address as proxies write it (`1.2.3.4`, `1.2.3.4:567`, `[2001:db8::1]:443`), or None."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4 with a port; bare IPv6 has several colons
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the right-most untrusted X-Forwarded-For hop."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _trusted(tuple(settings.FENGKONG_TRUSTED_PROXIES))
    peer = _parse(remote) if remote else None
    if peer is None or not trusted or not _is_trusted(peer, trusted):
        return str(peer) if peer is not None else remote
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # garbage from the client's side: keep the last hop we could trust
        client = address
        if not _is_trusted(address, trusted):
            break
    return str(client)


def came_through_trusted_proxy(request) -> bool:
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    trusted = _trusted(tuple(settings.FENGKONG_TRUSTED_PROXIES))
    return remote is not None and _is_trusted(remote, trusted)


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, with the address (and port) taken as above: its own reads
    the left-most X-Forwarded-For entry, which any client can write."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request) -> int | None:
        if not came_through_trusted_proxy(request):
            return None
        return BaseAuditlogMiddleware._get_remote_port(request)
