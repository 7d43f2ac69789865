"""Who is on the other end of a request (issue 9 item 14).

The peer address (REMOTE_ADDR) is the client, unless the peer is one of the reverse proxies
listed in PLANWATCH_TRUSTED_PROXIES (addresses or networks, comma-separated): then the
X-Forwarded-For header is read from the right, past every trusted proxy, and the first
address not trusted is the client. A header sent by anyone else is ignored, so a client
cannot choose the address its failed logins are counted against."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address as configured above ("" when unknown)."""
    peer = str(request.META.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(getattr(settings, "PLANWATCH_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed([h for h in forwarded if h]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed hop: count against the proxy, not a made-up name
    return peer
