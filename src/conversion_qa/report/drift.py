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

from markupsafe import Markup

from conversion_qa.config.secrets import scrub
from conversion_qa.contract import bounded_json
from conversion_qa.report import templates
from conversion_qa.rules.drift import AGAINST_FILE, AGAINST_TEST, Comparison, Match

DRIFT = "drift"  # the user property of a live configuration test: its rows, as JSON

_HEADINGS = {
    AGAINST_FILE: ("the portal against the biller file", "File", "Portal"),
    AGAINST_TEST: ("production against the test portal", "Test portal", "Production portal"),
}


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


@dataclass(frozen=True)
class Table:
    """One drift table: what it compares, its columns' names, its rows."""

    against: str
    title: str
    expected: str
    found: str
    rows: tuple[Row, ...]


def table(rows: Sequence[Row]) -> Markup:
    """The drift tables as HTML (templates/drift.html, every value escaped); "" when the run
    compared nothing."""
    tables = [
        Table(against, title, expected, found, tuple(r for r in rows if r.against == against))
        for against, (title, expected, found) in _HEADINGS.items()
    ]
    shown = [t for t in tables if t.rows]
    return templates.fragment("drift.html", tables=shown) if shown else Markup("")
