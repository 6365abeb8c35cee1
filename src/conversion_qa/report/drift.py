"""The drift table of a live run: each setting and option the portal was compared on, with the
value the biller file agreed (or, for production-matches-test, the test portal's), the portal's,
and the verdict. Secrets are masked before they get here.

A live configuration test carries its rows as one JSON user property (`DRIFT`), so they survive
xdist; the archiver gathers the values per folder (`rows_of`) and the pages include `table(rows)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from conversion_qa.config.secrets import scrub
from conversion_qa.contract import bounded_json
from conversion_qa.rules.drift import AGAINST_FILE, AGAINST_TEST, Comparison, Match

DRIFT = "drift"  # the user property of a live configuration test: its rows, as JSON

_HEADINGS = {
    AGAINST_FILE: ("the portal against the biller file", "File", "Portal"),
    AGAINST_TEST: ("production against the test portal", "Test portal", "Production portal"),
}
CSS = """
table.drift { border-collapse: collapse; margin: 0.5em 0 1.5em; }
table.drift th, table.drift td { border: 1px solid #888; padding: 3px 6px; text-align: left; }
table.drift th { background: #eee; }
table.drift td.verdict-differs { color: #b00; font-weight: bold; }
table.drift td.value { font-family: monospace; word-break: break-all; max-width: 40em; }
"""


@dataclass(frozen=True, order=True)
class Row:
    against: str  # AGAINST_FILE or AGAINST_TEST
    setting: str
    expected: str
    found: str
    verdict: str
    note: str = ""

    @property
    def differs(self) -> bool:
        return self.verdict == Match.DIFFERS.value


def encoded(against: str, comparisons: Sequence[Comparison]) -> str:
    """The user property's value: the rows of one test, as JSON, scrubbed of known secrets."""
    rows = [
        {
            "against": against,
            "setting": c.field,
            "expected": c.expected,
            "found": c.found,
            "verdict": c.verdict.value,
            "note": c.note,
        }
        for c in comparisons
    ]
    return scrub(json.dumps(rows, ensure_ascii=False))


def rows_of(values: Iterable[object]) -> list[Row]:
    """Every row the tests' DRIFT values carry, once each (settings 24 and 20 are read by two
    rules), by table, then setting number."""
    found: set[Row] = set()
    for value in values:
        try:
            decoded = bounded_json.loads(str(value))
            found.update(Row(**{k: str(v) for k, v in row.items()}) for row in decoded)
        except (ValueError, TypeError, AttributeError):
            continue  # not ours: a plugin's own property of the same name
    return sorted(found, key=_order)


def _order(row: Row) -> tuple[str, str, int, str]:
    kind, _, number = row.setting.rpartition(" ")
    return row.against, kind, int(number) if number.isdigit() else 0, row.setting


def table(rows: Sequence[Row]) -> str:
    """The drift tables as HTML (every value escaped); "" when the run compared nothing."""
    parts = []
    for against, (title, expected, found) in _HEADINGS.items():
        mine = [r for r in rows if r.against == against]
        if not mine:
            continue
        body = "\n".join(
            f'<tr data-setting="{escape(r.setting)}" data-verdict="{escape(r.verdict)}">'
            f"<td>{escape(r.setting)}</td>"
            f'<td class="value">{escape(r.expected)}</td>'
            f'<td class="value">{escape(r.found)}</td>'
            f'<td class="verdict-{"differs" if r.differs else "ok"}">{escape(r.verdict)}'
            + (f"<br>{escape(r.note)}" if r.note else "")
            + "</td></tr>"
            for r in mine
        )
        parts.append(
            f'<h2>Drift: {escape(title)}</h2>\n<table class="drift" data-against="'
            f'{escape(against)}">\n<thead><tr><th>Setting</th><th>{escape(expected)}</th>'
            f"<th>{escape(found)}</th><th>Verdict</th></tr></thead>\n<tbody>\n{body}\n</tbody>"
            "</table>"
        )
    if not parts:
        return ""
    return f'<section class="drift"><style>{CSS}</style>\n' + "\n".join(parts) + "\n</section>"
