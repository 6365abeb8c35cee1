"""The pages the suite writes itself (the sign-off sheet, the board, the drift table), rendered from
Jinja2 templates in report/templates/ with autoescaping on: every value a template shows is
escaped where it is shown, unless a template marks it safe (HTML this package made)."""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

_UNSAFE_IN_CSS = re.compile(r"[^A-Za-z0-9 .,:;()_-]")


def css_string(text: str) -> Markup:
    """Text as a CSS string literal (for `content:` in @page boxes): every other character as a
    hex escape, so that no value can close the string or the style sheet."""
    escaped = _UNSAFE_IN_CSS.sub(lambda match: f"\\{ord(match[0]):06x}", text)
    return Markup(f'"{escaped}"')


_ENVIRONMENT = Environment(
    loader=PackageLoader("conversion_qa.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENVIRONMENT.filters["css_string"] = css_string


def render(name: str, **values: object) -> str:
    """The page of template `name` (in report/templates/), with these values."""
    return _ENVIRONMENT.get_template(name).render(**values)


def fragment(name: str, **values: object) -> Markup:
    """A piece of a page (a table) for another template to include as it is."""
    return Markup(render(name, **values))
