"""The client's address: the connection's peer, or what a trusted proxy says it forwarded.

``X-Forwarded-For`` is anyone's to write: believed only when the peer is one of
``TRUSTED_PROXIES``, and then read from the right, skipping the trusted hops, so a client
cannot prepend an address of its choosing (finding 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.types import Scope

Network = IPv4Network | IPv6Network
_UNKNOWN = "?"


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address, proxies: Sequence[Network]) -> bool:
    return any(address in network for network in proxies)


def _forwarded_for(scope: Scope) -> list[str]:
    hops: list[str] = []
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            hops += [hop.strip() for hop in value.decode("latin-1").split(",")]
    return hops


def client_address(scope: Scope, proxies: Sequence[Network]) -> str:
    """Return the address limits and the audit trail use for this request."""
    client = scope.get("client")
    peer = _parse(client[0]) if client else None
    if peer is None:
        return _UNKNOWN
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    for hop in reversed(_forwarded_for(scope)):
        address = _parse(hop)
        if address is None:
            return str(peer)  # a garbled chain: count it against the proxy itself
        if not _trusted(address, proxies):
            return str(address)
    return str(peer)
