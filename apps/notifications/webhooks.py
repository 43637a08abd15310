"""The wire side of webhooks, without the ORM: signing, verifying, and one guarded POST.

Every request carries

    X-Fengkong-Event:      risks.review_overdue
    X-Fengkong-Delivery:   <delivery id>  (the same on every retry: receivers de-duplicate on it)
    X-Fengkong-Timestamp:  <unix seconds of this attempt>
    X-Fengkong-Signature:  sha256=<hex HMAC-SHA256 of f"{timestamp}.{body}" keyed by the secret>

Signing the timestamp with the body lets a receiver refuse replays: `verify_signature` rejects a
timestamp more than five minutes away from its clock.

The POST goes through http.client, which follows no redirect (a 3xx is a failed attempt, so a
receiver cannot bounce us to another host) and reads no proxy settings. In production the host is
resolved once, every address must be public, and the connection is made to those addresses
themselves, so a DNS answer that changes between the check and the connect (rebinding) cannot
point us at an internal service.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT_SECONDS = 10
SIGNATURE_TOLERANCE_SECONDS = 300
USER_AGENT = "Fengkong-Webhooks/1"
_RESPONSE_EXCERPT = 500  # characters of a failed response's body kept in last_error


class DeliveryRefused(Exception):
    """The target may never be called (scheme, private address): retrying cannot help."""


@dataclass(frozen=True)
class Response:
    status: int
    excerpt: str
    location: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def encode_body(envelope: dict) -> bytes:
    """Compact JSON with sorted keys: the same envelope always gives the same bytes."""
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def sign(secret: str, timestamp: int | str, body: bytes | str) -> str:
    if isinstance(body, str):
        body = body.encode()
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    timestamp: int | str,
    body: bytes | str,
    signature: str,
    tolerance_seconds: int = SIGNATURE_TOLERANCE_SECONDS,
    *,
    now: float | None = None,
) -> bool:
    """What a receiver runs: the signature matches (constant-time) and the timestamp is recent.

    A timestamp further than `tolerance_seconds` from `now`, in either direction, is refused:
    a captured request cannot be replayed later.
    """
    try:
        sent_at = int(str(timestamp).strip())
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance_seconds:
        return False
    expected = sign(secret, sent_at, body)
    return hmac.compare_digest(expected.encode(), str(signature).strip().encode())


def headers_for(
    *, secret: str, event: str, delivery_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Fengkong-Event": event,
        "X-Fengkong-Delivery": delivery_id,
        "X-Fengkong-Timestamp": str(timestamp),
        "X-Fengkong-Signature": sign(secret, timestamp, body),
    }


def allowed_schemes() -> set[str]:
    return {"https"} if settings.PRODUCTION else {"https", "http"}


# IPv6 prefixes that carry an IPv4 address in their low 32 bits: a gateway (NAT64, SIIT) or the
# host's own stack may deliver the packet to that IPv4 address, so it is the one to check.
_IPV4_IN_LOW_BITS = tuple(
    ipaddress.IPv6Network(prefix)
    for prefix in (
        "64:ff9b::/96",  # NAT64, well-known prefix (RFC 6052)
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT, RFC 2765)
        "::/96",  # IPv4-compatible (deprecated, RFC 4291)
    )
)
# Local-use NAT64 (RFC 8215): the operator picks where the IPv4 sits; never a public target.
_NEVER_PUBLIC = (ipaddress.IPv6Network("64:ff9b:1::/48"),)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address a transition form of `ip` would reach (mapped, NAT64, 6to4, Teredo)."""
    found = [ip.ipv4_mapped] if ip.ipv4_mapped is not None else []
    if any(ip in prefix for prefix in _IPV4_IN_LOW_BITS):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # (server, client)
    return found


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in prefix for prefix in _NEVER_PUBLIC):
            return False
        embedded = _embedded_ipv4(ip)
        if embedded:
            return all(_is_public(v4) for v4 in embedded)
    return _is_public(ip)


def literal_address(host: str) -> str | None:
    """The address a literal host names, also in the legacy IPv4 spellings resolvers accept
    (`2130706433`, `0x7f.1`, `127.1`); None for a name."""
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # is_global excludes private, loopback, link-local, shared (CGNAT) and reserved ranges.
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[tuple]:
    """(family, type, proto, canonname, sockaddr) of every address of `host`; the SSRF guard."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"Cannot resolve {host}: {exc}") from exc
    if settings.PRODUCTION:
        addresses = {str(info[4][0]) for info in infos}  # (host, port, ...): the host is a str
        private = sorted(a for a in addresses if not is_public_address(a))
        if private:
            raise DeliveryRefused(f"{host} resolves to a non-public address ({private[0]}).")
    return infos


def _pinned(infos: list[tuple]):
    """A socket factory for http.client that connects only to the addresses already checked."""

    def create_connection(address, timeout=None, source_address=None, **kwargs):
        last_error: OSError | None = None
        for family, type_, proto, _, sockaddr in infos:
            sock = socket.socket(family, type_, proto)
            try:
                sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last_error = exc
        raise last_error or OSError("No address to connect to.")

    return create_connection


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """One POST, no redirects followed. Raises DeliveryRefused (never retry) or OSError /
    http.client.HTTPException (retry later)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in allowed_schemes():
        raise DeliveryRefused(f"The scheme {scheme or '(none)'} is not allowed here.")
    if not parts.hostname or parts.username or parts.password:
        raise DeliveryRefused("The URL needs a host and may not carry credentials.")
    port = parts.port or (443 if scheme == "https" else 80)
    infos = _resolve(parts.hostname, port)
    if scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=TIMEOUT_SECONDS)
    # http.client opens its socket through this attribute (TLS then wraps it with the URL's
    # host name for SNI and certificate checks): connect to the checked addresses only.
    connection._create_connection = _pinned(infos)  # type: ignore[attr-defined]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(_RESPONSE_EXCERPT * 4).decode("utf-8", "replace")
        return Response(
            status=response.status,
            excerpt=excerpt[:_RESPONSE_EXCERPT],
            location=response.getheader("Location", "") or "",
        )
    finally:
        connection.close()
