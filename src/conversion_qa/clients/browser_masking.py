"""Secrets out of a screenshot: every value the run knows is replaced by «redacted» wherever the
page shows it, in every frame, just before the picture is taken (after the check has looked).

Where a page can show a value: a text node (open shadow roots too), a form field's value, a
placeholder, an image's alt text, an option's label, and CSS generated content (`::before` and
`::after`, literal or `attr()`). The value is replaced in the page itself, not painted over, so
no part of it is drawn wherever the layout puts it; generated content is replaced through a
constructed style sheet, which a page's Content-Security-Policy does not block. Not reached: a
value drawn on a canvas or in an image, inside a closed shadow root, or split across elements.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from conversion_qa.config.secrets import REDACTED, remembered, variants

if TYPE_CHECKING:
    from playwright.sync_api import Page

MARK = "data-conversion-qa-masked"

# Runs in each frame: (values, longest first; the replacement; the marking attribute) -> count.
_SCRIPT = r"""
([values, redacted, mark]) => {
  const shows = (text) => typeof text === 'string' && values.some((v) => text.includes(v));
  const hide = (text) => values.reduce((out, v) => out.split(v).join(redacted), text);
  const unescape = (s) => s.replace(/\\([0-9a-fA-F]{1,6})\s?|\\([\s\S])/g,
    (_, hex, ch) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : ch));
  const quoted = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
    .replace(/\n/g, '\\A ') + '"';
  const generated = (el, pseudo) => {
    const content = getComputedStyle(el, pseudo).content;
    if (!content || content === 'none' || content === 'normal') return '';
    let text = '';
    const parts = /"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'|attr\(\s*([^\s)]+)\s*\)/g;
    for (const part of content.matchAll(parts)) {
      text += part[3] !== undefined ? el.getAttribute(part[3]) || '' : unescape(part[1] ?? part[2]);
    }
    return text;
  };
  const hidden = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  let count = 0;
  const visit = (root) => {
    const rules = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        const parent = node.parentElement;
        if (shows(node.data) && !(parent && hidden.has(parent.tagName))) {
          node.data = hide(node.data);
          count++;
        }
        continue;
      }
      const el = node;
      if (el.shadowRoot) visit(el.shadowRoot);
      if (('value' in el) && shows(el.value)) { el.value = hide(el.value); count++; }
      for (const name of ['placeholder', 'alt', 'label']) {
        const value = el.getAttribute(name);
        if (shows(value)) { el.setAttribute(name, hide(value)); count++; }
      }
      for (const pseudo of ['::before', '::after']) {
        const text = generated(el, pseudo);
        if (shows(text)) {
          const id = `${pseudo.slice(2)}-${count++}`;
          el.setAttribute(mark, `${el.getAttribute(mark) || ''} ${id}`.trim());
          rules.push(`[${mark}~="${id}"]${pseudo} { content: ${quoted(hide(text))} !important; }`);
        }
      }
    }
    if (rules.length) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(rules.join('\n'));
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];  // a document or a shadow root
    }
  };
  visit(document);
  return count;
}
"""


def shown_forms(values: Iterable[str]) -> list[str]:
    """The forms a page can show each value in (as it is, or escaped or encoded once), longest
    first, so that a value holding another is replaced whole."""
    forms = {form for value in values for form in variants(value)}
    return sorted(forms, key=lambda form: (-len(form), form))


def mask_secrets(page: Page, values: Iterable[str] | None = None) -> int:
    """Replace every secret the run knows (or the values given) wherever the page shows it, in
    every frame; how many places were masked. A frame that went away is skipped."""
    from playwright.sync_api import Error

    forms = shown_forms(remembered() if values is None else values)
    if not forms:
        return 0
    count = 0
    for frame in page.frames:
        if not frame.url:
            continue  # no document yet (its answer never came): nothing drawn, nothing to ask
        try:
            count += int(frame.evaluate(_SCRIPT, [forms, REDACTED, MARK]))
        except Error:
            continue  # detached, or navigating: nothing of it is on the picture
    return count
