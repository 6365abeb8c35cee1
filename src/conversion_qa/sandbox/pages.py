"""The sandbox portal's pages, as HTML: the sign-in form, pages with the biller's custom code
(in the markup, added by a script after load, or only in a comment), and pages hosting iFrames.

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


def sign_in_form(biller: Biller, message: str = "") -> str:
    """The form the contract assumes (contract/portal.py): user name, password, submit."""
    note = f"<p class='error'>{escape(message)}</p>" if message else ""
    body = (
        f"<h1>{escape(biller.name)}: sign in</h1>{note}"
        f"<form method='post' action='{portal.SIGN_IN_PATH}'>"
        "<label>User name <input name='username' autocomplete='username'></label><br>"
        "<label>Password <input name='password' type='password' "
        "autocomplete='current-password'></label><br>"
        "<button type='submit'>Sign in</button></form>"
    )
    return document(f"{biller.name}: sign in", body, signed_in=False)


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
) -> str:
    """A page with its custom code shown `how`: "markup", "script" (added after load from
    ASSETS + path) or "comment" (the expect: text items only inside an HTML comment), and the
    iFrames it hosts."""
    parts = [f"<h1>{escape(biller.name)}</h1>"]
    if how == "markup":
        parts += [shown(code) for code in codes]
    elif how == "comment":
        parts += [  # the text items: a selector item is an element, shown
            f"<!-- {shown(code).replace('--', '- -')} -->" if code.expect else shown(code)
            for code in codes
        ]
    elif codes:
        asset = json.dumps(ASSETS + path)
        parts.append(
            "<div id='custom-code'></div><script>window.addEventListener('load', () => "
            f"fetch({asset}).then(r => r.text()).then(h => "
            "{ document.getElementById('custom-code').innerHTML = h; }));</script>"
        )
    parts += [
        f"<iframe src='{escape(frame.path)}' title='{escape(frame.name)}' width='800' "
        "height='240'></iframe>"
        for frame in frames
    ]
    return document(f"{biller.name}: {path}", "\n".join(parts), signed_in)


def injected(codes: Sequence[CustomCode]) -> str:
    """What the script of a "script" page adds after load."""
    return "\n".join(shown(code) for code in codes)


def frame_document(frame: Iframe) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Capricorn</title></head>"
        f"<body><p>Capricorn {escape(frame.name)}</p></body></html>"
    )
