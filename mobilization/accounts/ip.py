"""The client's address: one function for the lockout (axes) and the audit trail."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

    Address = ipaddress.IPv4Address | ipaddress.IPv6Address
    Network = ipaddress.IPv4Network | ipaddress.IPv6Network

__all__ = ["client_ip"]


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address.version == n.version and address in n for n in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of whoever sent `request`.

    The connection's peer, unless that peer is one of TRUSTED_PROXIES: then X-Forwarded-For is
    read from the right (each proxy appends the address it received from), skipping our own
    proxies, and the first hop that is not one of them is the client. Anything further left was
    written by the client and proves nothing. Without TRUSTED_PROXIES the header is ignored."""
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_address(peer or ""), networks):
        return peer
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:  # a malformed hop: nothing left of it can be believed
            break
        client = str(address)
        if not _trusted(address, networks):
            break
    return client
