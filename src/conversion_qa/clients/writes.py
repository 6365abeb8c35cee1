"""Where a live run may write to S&S: only this environment's own endpoints, and never a host
that is a production endpoint or portal of any biller file, unless --allow-production-writes.

The guard decides on the target of each write, not on the environment's name: a test portal
whose Advanced Setting 20 points at the production CIS must not send payments there. The target
is where the HTTP client really connects (conversion_qa.target), so a URL that one parser reads
as the test host and another as production is refused, flag or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversion_qa.errors import UnsendableURL, WriteRefused
from conversion_qa.target import Target, target_of


@dataclass(frozen=True)
class WriteTargets:
    environment: str
    own: frozenset[Target]  # this environment's S&S endpoints: scheme, host and port
    production_hosts: frozenset[str]  # production endpoints and portals of every biller file
    allow_production: bool  # --allow-production-writes

    def refusal(self, method: str, url: str) -> WriteRefused | None:
        """Why a write to url is refused, or None when it may be sent."""
        try:
            target = target_of(url)
        except UnsendableURL as error:
            return self._refused(
                method,
                url,
                f"the URL {error.problem}",
                fix="check the Advanced Setting that holds this URL (see endpoint-settings): a "
                "URL two parsers read differently is never sent",
            )
        if self.allow_production:
            return None
        production = target.host in self.production_hosts
        own = target in self.own
        if production and own:
            # this environment is production: the write goes where it should, and waits for
            # the user's explicit opt-in
            reason = f"{target} is {self.environment}'s own S&S endpoint, a production host"
            fix = (
                "a live run writes to production only when asked to: rerun with "
                "--allow-production-writes to send these test transmissions (test accounts only)"
            )
        elif production:
            reason = (
                f"{target.host} is a production host (a production endpoint or portal of a biller)"
            )
            fix = (
                "check the Advanced Setting that points there (see endpoint-settings); to write "
                "to production on purpose, with test accounts only, rerun with "
                "--allow-production-writes"
            )
        elif not own:
            listed = ", ".join(str(t) for t in sorted(self.own)) or "none"
            reason = (
                f"{target} is not one of the {self.environment} environment's endpoints ({listed})"
            )
            fix = (
                "check the Advanced Setting that points there (see endpoint-settings); "
                "--allow-production-writes lets a run write off its own endpoints on purpose "
                "(test accounts only)"
            )
        else:
            return None
        return self._refused(method, url, reason, fix, production=production, own=own)

    def _refused(
        self,
        method: str,
        url: str,
        reason: str,
        fix: str,
        *,
        production: bool = False,
        own: bool = False,
    ) -> WriteRefused:
        return WriteRefused(
            f"refused to send {method} {url}: {reason}; nothing was sent",
            production=production,
            own=own,
            fix=fix,
            expected=f"a write to the {self.environment} environment's own S&S endpoints",
            found=f"{method} {url}: {reason}",
            where=f"{method} {url}",
        )
