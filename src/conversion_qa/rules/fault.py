"""A fault the sandbox injects, as the rules judge it: the rules a live run fails under it (and
leaves not checked), and what the first one says. A rule's faults are declared in its slice;
sandbox/server.py gives each its behaviour, by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """A sandbox scenario: what the sandbox does wrong, and what a live run makes of it."""

    name: str
    description: str
    fails: tuple[str, ...]  # the rules a live run fails under this scenario, and no other
    message: str  # what the first rule's text says (a fragment the self-tests look for)
    # whether a recording made under the scenario replays to the same verdicts offline: not for
    # faults in time (a hang, a slow answer) or in the portal's settings (offline reads the file)
    replayable: bool = True
    environment: str = "test"  # the --env its rehearsal runs (production: after go-live)
    # the rules a live run with --no-browser fails (today's raw HTTP checks); None: as `fails`
    fails_without_browser: tuple[str, ...] | None = None
    message_without_browser: str | None = None  # None: as `message`
    # the rules a live run leaves not checked under this scenario (no answer to judge)
    not_checked: tuple[str, ...] = ()

    def failing(self, browser: bool) -> tuple[str, ...]:
        """The rules this scenario fails, with a browser or with --no-browser."""
        if browser or self.fails_without_browser is None:
            return self.fails
        return self.fails_without_browser

    def says(self, browser: bool) -> str:
        """What its first rule's text says, with a browser or with --no-browser."""
        if browser or self.message_without_browser is None:
            return self.message
        return self.message_without_browser
