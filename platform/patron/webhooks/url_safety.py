"""Keeping webhooks out of the internal network (server-side request forgery).

A webhook URL must be http(s) and its host must resolve only to public addresses, unless an
address lies in one of the CIDRs of ``PATRON_WEBHOOK_ALLOWED_NETWORKS``. The check runs when a
webhook is saved and again before every delivery, and the opener of :func:`safe_opener` checks
the address it actually connected to, so a DNS answer that changes between the check and the
connection (DNS rebinding) is refused as well.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.request
from urllib.parse import urlsplit

from flask import current_app

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Checked in this order, so an address gets its most telling name (127.0.0.1 is "private"
#: to :mod:`ipaddress` too, but "loopback" says more).
FORBIDDEN_KINDS = ("loopback", "unspecified", "link_local", "multicast", "reserved", "private")
SCHEMES = {"http": 80, "https": 443}


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks; the message says why, for the user to read."""


def allowed_networks() -> list[Network]:
    """The CIDRs of ``PATRON_WEBHOOK_ALLOWED_NETWORKS`` (comma-separated, may be empty)."""
    setting = current_app.config.get("PATRON_WEBHOOK_ALLOWED_NETWORKS") or ""
    return [ipaddress.ip_network(part.strip(), strict=False)
            for part in setting.split(",") if part.strip()]


#: NAT64 prefixes (RFC 6052's well-known one and RFC 8215's local-use one): the IPv4
#: address is the last 32 bits.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
#: IPv4-compatible addresses (deprecated, still routed by some stacks): ``::a.b.c.d``.
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and reaches: IPv4-mapped and -compatible,
    6to4, Teredo (its server and its client) and NAT64 forms."""
    found = [address.ipv4_mapped, address.sixtofour,
             *(address.teredo or ())]
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in prefix for prefix in NAT64) or (
            address in IPV4_COMPATIBLE and int(address) > 1):
        found.append(low32)
    return [ipv4 for ipv4 in found if ipv4 is not None]


def forbidden_kind(address: Address) -> str | None:
    """Why ``address`` is not public (``"loopback"``, ``"private"``, …); None if it is. An
    IPv6 address that carries an IPv4 one (6to4, Teredo, NAT64, mapped) is judged by it too:
    ``2002:7f00:1::`` reaches 127.0.0.1."""
    if isinstance(address, ipaddress.IPv6Address):
        for ipv4 in embedded_ipv4(address):
            if (kind := forbidden_kind(ipv4)) is not None:
                return kind
        if address.ipv4_mapped or any(address in prefix for prefix in NAT64):
            return None  # judged by the IPv4 address it reaches alone
    for kind in FORBIDDEN_KINDS:
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if address.is_global else "non-public"


def check_address(address: Address) -> None:
    """Raise :class:`UnsafeUrl` if ``address`` is not public and not in an allowed network."""
    kind = forbidden_kind(address)
    if kind and not any(address in network for network in allowed_networks()):
        raise UnsafeUrl(
            f"The host resolves to {address}, a {kind} address; webhooks may only call "
            "public addresses."
        )


def check_url(url: str) -> None:
    """Raise :class:`UnsafeUrl` unless ``url`` is http(s) and its host resolves only to
    addresses :func:`check_address` accepts."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise UnsafeUrl("Only http and https URLs can receive webhooks.")
    if not parts.hostname:
        raise UnsafeUrl("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeUrl("The URL must not contain a user name or password.")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError as error:
        raise UnsafeUrl("The URL's port is not valid.") from error
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeUrl(f"The host {parts.hostname!r} does not resolve.") from error
    for address in {ipaddress.ip_address(info[4][0]) for info in infos}:
        check_address(address)


class _PeerCheckedHTTPConnection(http.client.HTTPConnection):
    """Checks the address it connected to, before a byte of the request is sent."""

    def connect(self) -> None:
        super().connect()
        try:
            check_address(ipaddress.ip_address(self.sock.getpeername()[0]))
        except UnsafeUrl:
            self.close()
            raise


class _PeerCheckedHTTPSConnection(http.client.HTTPSConnection, _PeerCheckedHTTPConnection):
    """The TLS variant: ``HTTPSConnection.connect`` reaches the check (next in the MRO) after
    the TCP connection and before the TLS handshake."""


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PeerCheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        self.ssl_context = ssl.create_default_context()
        super().__init__(context=self.ssl_context)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PeerCheckedHTTPSConnection, req, context=self.ssl_context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error response: a receiver cannot bounce a delivery elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl) -> None:
        return None


def safe_opener() -> urllib.request.OpenerDirector:
    """An opener that checks the peer address, ignores proxy settings and follows no redirect.

    Proxies are ignored because the peer check could only see the proxy's address.
    """
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _NoRedirects(), _CheckedHTTPHandler(),
        _CheckedHTTPSHandler(),
    )
