"""Whether an address public DNS gives is reachable from the internet: public-dns judges the
addresses a host resolves to by it, and the report names where each connection went with it."""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED = ipaddress.ip_network("100.64.0.0/10")
_DOCUMENTATION = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")
)
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


def address_category(address: str) -> str | None:
    """Why an address is not globally routable, or None when it is."""
    ip: IPAddress = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip in _SHARED:
        return "shared address space (100.64.0.0/10, carrier-grade NAT)"
    if any(ip in net for net in _DOCUMENTATION):
        return "documentation range (RFC 5737 / RFC 3849), never routed"
    if any(ip in net for net in _PRIVATE):
        return "private (RFC 1918)"
    if ip in _UNIQUE_LOCAL:
        return "private (unique local, RFC 4193)"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "special-purpose, not globally routable"
    return None
