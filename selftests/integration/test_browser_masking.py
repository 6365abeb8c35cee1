"""Screenshots mask every secret the run knows, wherever a page shows it, in the real Chromium.

A page shows canary secrets (the user name and password, and a `${VAR}` setting that is neither)
in each place a page can show text: a text node, a form field's value, a text area, a
placeholder, CSS generated content (literal and `attr()`), an open shadow root and an iFrame.
How it is judged, honestly and without reading letters off pixels: the masked page's screenshot
must be pixel for pixel the screenshot of the same page written with «redacted» in each of those
places (so no pixel of a secret is left, wherever the layout drew it), and the masked page's
rendered text, values and generated content must hold no canary.
"""

from __future__ import annotations

import json
from html import escape

import pytest
from playwright.sync_api import Page

from conversion_qa.clients.browser_masking import mask_secrets
from conversion_qa.config.secrets import REDACTED, remember_secret, secrets_forgotten
from selftests.lent_chromium import NewPage

pytestmark = pytest.mark.linux_only

USER = "canary-user-5b2c07"
PASSWORD = "canary-password-e48d16"
SETTING = "canary-secret-7f3a91"  # a ${VAR} of the Advanced Settings: not a credential


def portal_page(user: str, password: str, setting: str) -> str:
    """A page showing the three values in every place a page can show text."""
    quoted = setting.replace("\\", "\\\\").replace('"', '\\"')
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
      body {{ font: 16px sans-serif; margin: 1em; }}
      .key::before {{ content: "Client secret: {escape(quoted)}"; }}
      .who::after {{ content: " (" attr(data-user) ")"; }}
    </style></head><body>
    <p>Welcome back, {escape(user)}</p>
    <label>Password <input id="shown" value="{escape(password)}"></label>
    <input placeholder="{escape(setting)}">
    <textarea>{escape(user)}</textarea>
    <p class="key"></p>
    <p class="who" data-user="{escape(user)}">Signed in</p>
    <div id="host"></div>
    <iframe srcdoc="{escape(f"<p>Capricorn for {escape(user)}</p>")}"></iframe>
    <script>
      document.getElementById('host').attachShadow({{mode: 'open'}}).innerHTML =
        '<b>Token: ' + {json.dumps(escape(password))} + '</b>';
    </script></body></html>"""


RENDERED = """() => {
  const seen = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { seen.push(el.shadowRoot.textContent); visit(el.shadowRoot); }
      if ('value' in el) seen.push(String(el.value));
      seen.push(el.getAttribute('placeholder') || '');
      for (const pseudo of ['::before', '::after']) {
        const content = getComputedStyle(el, pseudo).content;
        seen.push(content.includes('attr(') ? el.getAttribute('data-user') || '' : content);
      }
    }
  };
  seen.push(document.body.innerText);
  visit(document);
  return seen.join('\\n');
}"""


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page(viewport={"width": 900, "height": 700})


def shown(page: Page, html: str) -> None:
    page.set_content(html, wait_until="load")
    page.wait_for_function("document.querySelector('iframe').contentDocument.body")


def everything_rendered(page: Page) -> str:
    """The text, values, placeholders and generated content of every frame."""
    return "\n".join(str(frame.evaluate(RENDERED)) for frame in page.frames)


def picture(page: Page) -> bytes:
    return page.screenshot(type="png", animations="disabled")


def test_every_secret_of_the_run_is_masked_wherever_the_page_shows_it(page: Page) -> None:
    with secrets_forgotten():
        for value in (USER, PASSWORD, SETTING):
            remember_secret(value)  # as the run does for every ${VAR} it reads
        shown(page, portal_page(USER, PASSWORD, SETTING))
        before = everything_rendered(page)
        assert all(value in before for value in (USER, PASSWORD, SETTING))  # the page shows them
        unmasked = picture(page)
        masked_places = mask_secrets(page)  # what a check's screenshot does: the run's secrets
        after = everything_rendered(page)
        masked = picture(page)
    assert masked_places >= 9
    assert [value for value in (USER, PASSWORD, SETTING) if value in after] == []
    shown(page, portal_page(REDACTED, REDACTED, REDACTED))
    control = picture(page)
    assert masked == control  # pixel for pixel: nothing of a secret is drawn anywhere
    assert unmasked != control  # (and the comparison can tell: unmasked, the pictures differ)


def test_only_secrets_are_masked(page: Page) -> None:
    with secrets_forgotten():
        remember_secret(USER)
        shown(page, portal_page("Ada Lovelace", "not-a-secret", "also-not-one"))
        assert mask_secrets(page) == 0
        assert "Welcome back, Ada Lovelace" in everything_rendered(page)
