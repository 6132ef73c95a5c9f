"""Who the client is, behind the reverse proxies the operator trusts.

`client_ip` is the one place kanwu learns a client's address: rate limits, comments,
submissions, takedowns, login records and view counts all ask it. With no trusted proxies
(`KANWU_TRUSTED_PROXIES` empty, the default) it is REMOTE_ADDR and nothing else. When
REMOTE_ADDR is a trusted proxy, `X-Forwarded-For` is read from right to left (each proxy
appends the address it saw), skipping trusted proxies; the first other address is the
client. Entries to the left of it were written by the client and are never believed.

`TrustedProxyMiddleware` applies the same rule to `X-Forwarded-Proto`, which Django's
SECURE_PROXY_SSL_HEADER would otherwise believe from anybody: the header is removed unless
the request comes from a trusted proxy. The WSGI fast path calls `forget_untrusted_headers`
on the environ itself before it answers.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, MutableMapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Headers only a trusted proxy may set.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR")
# At most this many X-Forwarded-For entries are looked at (a chain of proxies is short).
MAX_HOPS = 20


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip().strip("[]"), strict=False))
        except ValueError:
            continue  # an invalid entry trusts nobody
    return tuple(networks)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "KANWU_TRUSTED_PROXIES", ()) or ()))


def parse_address(value: object) -> Address | None:
    """An IP address as a proxy or server writes it ("1.2.3.4", "::1", "[::1]:80",
    "1.2.3.4:5678"), IPv4-mapped IPv6 as IPv4; None for anything else."""
    text = str(value or "").strip()
    if not text or len(text) > 64:
        return None
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None) -> bool:
    return address is not None and any(address in network for network in trusted_networks())


def client_address(meta: MutableMapping[str, Any]) -> Address | None:
    """The client's address from a request's META (or a WSGI environ)."""
    remote = parse_address(meta.get("REMOTE_ADDR"))
    if remote is None or not is_trusted(remote):
        return remote
    client = remote
    hops = str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    for raw in reversed(hops[-MAX_HOPS:]):
        address = parse_address(raw)
        if address is None:
            break  # a proxy would not write this: believe nothing further left
        client = address
        if not is_trusted(address):
            break
    return client


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address as text, or None when the server gave none (see module)."""
    address = client_address(request.META)
    return str(address) if address is not None else None


def forget_untrusted_headers(meta: MutableMapping[str, Any]) -> None:
    """Drop forwarding headers a client sent directly (not through a trusted proxy)."""
    if not is_trusted(parse_address(meta.get("REMOTE_ADDR"))):
        for name in FORWARDED_HEADERS:
            meta.pop(name, None)


def environ_is_secure(environ: MutableMapping[str, Any]) -> bool:
    """Whether a WSGI request came over HTTPS, as Django's request.is_secure() would tell
    after `forget_untrusted_headers`."""
    if environ.get("wsgi.url_scheme") == "https":
        return True
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not header:
        return False
    name, value = header
    forwarded = str(environ.get(name) or "").split(",")[0].strip()
    return forwarded == value and is_trusted(parse_address(environ.get("REMOTE_ADDR")))


class TrustedProxyMiddleware:
    """Before SecurityMiddleware: X-Forwarded-Proto and X-Forwarded-For count only when they
    come from a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        forget_untrusted_headers(request.META)
        return self.get_response(request)
