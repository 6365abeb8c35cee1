"""Where a running sandbox answers: for the live run, and for the DNS/TLS rules' rehearsal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class SandboxAddress:
    """The host names (with the port their URLs use) served at address:port, and the CA."""

    hosts: tuple[tuple[str, int], ...]
    port: int
    ca_bundle: Path
    address: str = LOOPBACK

    def resolve(self) -> dict[tuple[str, int], tuple[str, int]]:
        return {host: (self.address, self.port) for host in self.hosts}

    def resolve_values(self) -> list[str]:
        """HOST:PORT:ADDRESS:PORT for each host, as --resolve (and curl) take them."""
        return [f"{h}:{p}:{self.address}:{self.port}" for h, p in self.hosts]

    def resolve_arguments(self) -> list[str]:
        return [f"--resolve={value}" for value in self.resolve_values()]

    def pytest_command(self, billers: list[str], nameserver: str | None = None) -> str:
        """The live run pointed here; with the rehearsal's DNS server, public-dns asks it."""
        dns = [f"--dns-nameserver={nameserver}", "--accept-loopback-dns"] if nameserver else []
        return " ".join(
            [
                "pytest",
                f"--biller={','.join(billers)}",
                "-m live",
                f"--ca-bundle={self.ca_bundle}",
                *self.resolve_arguments(),
                *dns,
            ]
        )
