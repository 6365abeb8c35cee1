"""Where a live run may write to S&S: only this environment's own endpoints, and never a host
that is a production endpoint or portal of any biller file, unless --allow-production-writes.

The guard decides on the target of each write, not on the environment's name: a test portal
whose Advanced Setting 20 points at the production CIS must not send payments there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from conversion_qa.errors import WriteRefused


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


@dataclass(frozen=True)
class WriteTargets:
    environment: str
    own_hosts: frozenset[str]  # the hosts of this environment's S&S endpoints
    production_hosts: frozenset[str]  # production endpoints and portals of every biller file
    allow_production: bool  # --allow-production-writes

    def refusal(self, method: str, url: str) -> WriteRefused | None:
        """Why a write to url is refused, or None when it may be sent."""
        if self.allow_production:
            return None
        host = host_of(url)
        production = host in self.production_hosts
        if production and host in self.own_hosts:
            # this environment is production: the write goes where it should, and waits for
            # the user's explicit opt-in
            reason = f"{host} is {self.environment}'s own S&S endpoint, a production host"
            fix = (
                "a live run writes to production only when asked to: rerun with "
                "--allow-production-writes to send these test transmissions (test accounts only)"
            )
        elif production:
            reason = f"{host} is a production host (a production endpoint or portal of a biller)"
            fix = (
                "check the Advanced Setting that points there (see endpoint-settings); to write "
                "to production on purpose, with test accounts only, rerun with "
                "--allow-production-writes"
            )
        elif host not in self.own_hosts:
            own = ", ".join(sorted(self.own_hosts)) or "none"
            reason = f"{host} is not one of the {self.environment} environment's endpoints ({own})"
            fix = (
                "check the Advanced Setting that points there (see endpoint-settings); "
                "--allow-production-writes lets a run write off its own endpoints on purpose "
                "(test accounts only)"
            )
        else:
            return None
        return WriteRefused(
            f"refused to send {method} {url}: {reason}; nothing was sent",
            production=production,
            own=host in self.own_hosts,
            fix=fix,
            expected=f"a write to the {self.environment} environment's own S&S endpoints",
            found=f"{method} {url}: {reason}",
            where=f"{method} {url}",
        )
