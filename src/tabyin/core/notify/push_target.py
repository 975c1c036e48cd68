"""Where the server may send a browser push: the guard against being steered at our own network.

A push subscription's endpoint comes from the person's browser, and the server later POSTs to it,
so a forged subscription could make the server reach an address inside the organization (SSRF).
Two checks, both needed:

- at the boundary (``endpoint_refusal``), when a subscription is set through the API or the web
  page: https only, no user name or password, port absent or 443, and a host name that looks
  public (not an IP literal in any spelling, not ``localhost``, ``*.local``, ``*.internal`` or a
  single label). Real push services (FCM, Mozilla, Apple, Windows) all pass.
- at send time (``address_refusal``), because a public name can resolve to a private address:
  every address the name resolves to must be a public unicast one.

What is left: the resolver is asked again by the HTTP client a moment later (a name that changes its
answer between the two lookups, DNS rebinding, is not stopped here). A firewall rule on the worker's
outbound traffic is the complete answer; docs/modules/core.md says so.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Final
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from tabyin.core.api.problems import Problem

# A public DNS name in ASCII (IDN in its xn-- form): at least two labels, the last not all digits
# (a numeric last label is how "127.1" or "0x7f.1" spell an address, and no top-level domain is).
_NAME: Final = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_LOCAL_SUFFIXES: Final = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".arpa")

# The short reasons, also the keys of the errors the API and web page show (no address in them).
NOT_HTTPS: Final = "not https"
USERINFO: Final = "user name or password in the address"
PORT: Final = "port other than 443"
IP_LITERAL: Final = "an IP address, not a host name"
LOCAL_NAME: Final = "a local host name"
MESSAGES: Final = {
    NOT_HTTPS: _("The push endpoint must be an https address."),
    USERINFO: _("The push endpoint must not carry a user name or password."),
    PORT: _("The push endpoint must use the standard https port (443)."),
    IP_LITERAL: _("The push endpoint must name its host, not an IP address."),
    LOCAL_NAME: _("The push endpoint's host must be a public name, not localhost or a local network name."),
}


def refusal_problem(reason: str, *, extra: dict[str, object] | None = None) -> Problem:
    """The RFC 9457 problem (422, Persian or English by Accept-Language) for a refused endpoint."""
    errors = [{"loc": ["body", "endpoint"], "msg": reason, "type": "push_endpoint"}]
    return Problem(422, MESSAGES[reason], errors=errors, extra=extra or {})


def _host_refusal(netloc: str, host: str) -> str | None:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = "[" in netloc
    else:
        literal = True
    if literal:
        return IP_LITERAL
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or not _NAME.match(host):
        return LOCAL_NAME
    return None


def endpoint_refusal(endpoint: str) -> str | None:
    """``None`` when the endpoint may be stored, else the short reason it may not."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return NOT_HTTPS
    if parts.scheme != "https" or not parts.netloc:
        return NOT_HTTPS
    if "@" in parts.netloc:
        return USERINFO
    if port not in (None, 443):
        return PORT
    return _host_refusal(parts.netloc, (parts.hostname or "").removesuffix("."))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope ("fe80::1%eth0") dropped
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # "::ffff:127.0.0.1" is 127.0.0.1
    closed = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return ip.is_global and not closed


def address_refusal(endpoint: str) -> str | None:
    """At send time: ``None`` when the endpoint passes the boundary rules and every address its
    host resolves to is public; else the short reason (for the ledger: never the address)."""
    refused = endpoint_refusal(endpoint)
    if refused:
        return f"push endpoint refused: {refused}"
    host = urlsplit(endpoint).hostname or ""
    try:
        found = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return "push host not resolved"
    addresses = {str(row[4][0]) for row in found}
    if not addresses:
        return "push host not resolved"
    if not all(_public(address) for address in addresses):
        return "push host refused: it resolves to a private or reserved address"
    return None
