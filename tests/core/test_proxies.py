"""The client's address: REMOTE_ADDR unless it is a trusted proxy, then X-Forwarded-For read
from the right; forwarded headers from anybody else are ignored (core/proxies.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from kanwu.core.proxies import client_ip, forget_untrusted_headers

NGINX = "127.0.0.1"


def ip_of(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_only_remote_addr_counts(settings: Any) -> None:
    settings.KANWU_TRUSTED_PROXIES = []
    assert ip_of("192.0.2.7") == "192.0.2.7"
    assert ip_of("192.0.2.7", "203.0.113.9") == "192.0.2.7"  # a spoofed header
    assert ip_of("") is None
    assert ip_of("not an address") is None


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # nginx on this machine appends the address it saw: that is the client.
        (NGINX, "203.0.113.9", "203.0.113.9"),
        # Whatever the client wrote itself stands to the left and is never believed.
        (NGINX, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        (NGINX, "127.0.0.1, 203.0.113.9", "203.0.113.9"),
        # A chain of trusted proxies (a load balancer in 10.0.0.0/8, then nginx).
        (NGINX, "198.51.100.4, 10.2.3.4", "198.51.100.4"),
        (NGINX, "6.6.6.6, 198.51.100.4, 10.2.3.4", "198.51.100.4"),
        # Nothing forwarded: the proxy itself.
        (NGINX, None, NGINX),
        # Garbage where a proxy writes an address: believe nothing further left.
        (NGINX, "6.6.6.6, not-an-ip", NGINX),
        (NGINX, "6.6.6.6, , 10.2.3.4", "10.2.3.4"),
        # IPv6 and IPv4-mapped IPv6.
        (NGINX, "2001:db8::5", "2001:db8::5"),
        ("::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (NGINX, "[2001:db8::5]:51234", "2001:db8::5"),
        # A peer that is no trusted proxy: its header is ignored.
        ("198.51.100.77", "203.0.113.9", "198.51.100.77"),
    ],
)
def test_forwarded_for_is_read_from_the_right_behind_trusted_proxies(
    settings: Any, remote: str, forwarded: str | None, expected: str
) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    assert ip_of(remote, forwarded) == expected


def test_invalid_trusted_proxy_entries_trust_nobody(settings: Any) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["localhost", "300.1.1.1", ""]
    assert ip_of(NGINX, "203.0.113.9") == NGINX


def test_forwarded_proto_from_an_untrusted_peer_is_dropped(settings: Any) -> None:
    settings.KANWU_TRUSTED_PROXIES = [NGINX]
    spoofed = {"REMOTE_ADDR": "198.51.100.77", "HTTP_X_FORWARDED_PROTO": "https"}
    forget_untrusted_headers(spoofed)
    assert "HTTP_X_FORWARDED_PROTO" not in spoofed
    proxied = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_PROTO": "https"}
    forget_untrusted_headers(proxied)
    assert proxied["HTTP_X_FORWARDED_PROTO"] == "https"


@pytest.mark.django_db
def test_a_spoofed_https_header_does_not_make_a_request_secure(
    settings: Any, client: Client, home: Any
) -> None:
    settings.KANWU_TRUSTED_PROXIES = [NGINX]
    settings.SECURE_SSL_REDIRECT = True
    # A client talking to kanwu directly claims to have come over https: still redirected.
    response = client.get("/", REMOTE_ADDR="198.51.100.77", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    # nginx says so: believed.
    response = client.get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
