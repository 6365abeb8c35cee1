"""Where the browser's sign-in sends the credentials, checked as the browser sends them.

The sign-in form's action is read before typing, but a page can still send what was typed
elsewhere: a submit button's `formaction`, a script that changes the action while the password
is typed, a script that `fetch()`es the typed value. So while the credentials are in the page,
every request the browser makes is held before it leaves: one to the portal's own https origin
goes on; any other is aborted, and one that carries a credential, in any form it can take there
(raw, URL-, JSON- or base64-encoded, an HTTP Basic header), is kept, to fail the sign-in with.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conversion_qa.clients.browser_proxy import Origin, origin_of
from conversion_qa.config.secrets import MIN_LENGTH, basic_auth, variants
from conversion_qa.errors import SignInError

if TYPE_CHECKING:
    from playwright.sync_api import Request, Route


@dataclass(frozen=True)
class Caught:
    """A request the sign-in would have sent a credential with, off the portal's origin."""

    what: str  # "the password", "the user name"
    origin: Origin


def forms_of(value: str) -> frozenset[str]:
    """Every form a typed value can take in a request: as it is, encoded for a URL, a form, a
    JSON body or markup, and in base64."""
    encoded = value.encode()
    found = set(variants(value))
    found |= {base64.b64encode(encoded).decode(), base64.urlsafe_b64encode(encoded).decode()}
    found |= {form.rstrip("=") for form in found if form.endswith("=")}
    return frozenset(form for form in found if len(form) >= MIN_LENGTH)


class CredentialGuard:
    """Install with `context.route("**/*", guard.route)` before typing, remove after the sign-in
    page is closed; then `problem()` says whether a credential would have gone elsewhere."""

    def __init__(self, portal: Origin, credentials: Mapping[str, str]) -> None:
        """credentials: what each value is called in a message ("the password") -> the value."""
        self._portal = portal
        self._forms = {what: forms_of(value) for what, value in credentials.items()}
        pair = tuple(credentials.values())
        self._pairs = frozenset(basic_auth(*pair) if len(pair) == 2 else ())
        self._lock = threading.Lock()
        self._caught: list[Caught] = []

    def route(self, route: Route) -> None:
        """Let a request to the portal's own https origin go; abort any other."""
        request = route.request
        try:
            origin = origin_of(request.url)
        except ValueError:
            origin = Origin("", request.url[:80], 0)
        if origin == self._portal and origin.scheme == "https":
            route.continue_()
            return
        for what in self._carried(request):
            with self._lock:
                self._caught.append(Caught(what, origin))
        route.abort("blockedbyclient")

    def _carried(self, request: Request) -> list[str]:
        """Which credentials the request carries: in its URL, a header or its body (an HTTP
        Basic header carries both)."""
        body = request.post_data_buffer or b""
        texts = [request.url, *request.headers.values()]
        texts += [body.decode("utf-8", "replace"), body.decode("latin-1")]

        def carries(forms: frozenset[str]) -> bool:
            return any(form in text for text in texts for form in forms)

        if carries(self._pairs):
            return list(self._forms)
        return [what for what, forms in self._forms.items() if carries(forms)]

    @property
    def caught(self) -> tuple[Caught, ...]:
        with self._lock:
            return tuple(self._caught)

    def problem(self, portal_url: str) -> SignInError | None:
        """The sign-in's failure when a credential was on its way elsewhere (it was aborted)."""
        caught = self.caught
        if not caught:
            return None
        first = caught[0].origin
        what = " and ".join(dict.fromkeys(c.what for c in caught if c.origin == first))
        places = ", ".join(dict.fromkeys(str(c.origin) for c in caught))
        return SignInError(
            f"the sign-in would have sent {what} to {first}: aborted, nothing was sent",
            fix="ask the portal team why its sign-in page sends the credentials off the portal "
            f"(to {places}); the suite signs in only where the credentials stay on the "
            "portal's own https origin",
            expected=f"the credentials sent to {origin_of(portal_url)} only",
            found=f"{what} in a request to {places}, aborted before it left the browser",
            where=portal_url,
        )
