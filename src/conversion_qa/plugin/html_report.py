"""The one adapter to pytest-html: a user's own `--html` session report gets the rule, item,
outcome and message columns (the archived report.html is the suite's own page,
report/verdict_list.py).

pytest-html's JavaScript inserts every cell as markup (innerHTML), so each value from a biller
file, a service or a test id is escaped here, once, before it reaches pytest-html.
"""

from __future__ import annotations

from html import escape

import pytest

from conversion_qa.config.secrets import scrub
from conversion_qa.plugin.collector import group_of, properties, result_of
from conversion_qa.report.results import said

_COLUMNS = (
    '<th class="sortable" data-column-type="rule">Rule</th>',
    '<th class="sortable" data-column-type="item">Item</th>',
    '<th class="sortable" data-column-type="outcome">Outcome</th>',
    '<th class="message">Message</th>',
)


class TableHooks:
    """pytest-html hooks: rule id, item, outcome and message columns."""

    @pytest.hookimpl
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells[1:1] = _COLUMNS

    @pytest.hookimpl
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        for index, cell in enumerate(cells):
            if cell.startswith('<td class="col-testId">'):
                cells[index] = id_cell(report)
        cells[1:1] = row_cells(report)


def id_cell(report: pytest.TestReport) -> str:
    """pytest-html's test id cell, escaped: its own puts the node id in as markup."""
    test_id = report.nodeid if report.when == "call" else f"{report.nodeid}::{report.when}"
    return f'<td class="col-testId">{escape(test_id)}</td>'


def row_cells(report: pytest.TestReport) -> list[str]:
    """The four cells of our columns for one phase report ("" for a test that is not a rule)."""
    if group_of(properties([report])) is None:
        return [f'<td class="col-{name}"></td>' for name in ("rule", "item", "outcome", "message")]
    result = result_of([report])
    message = escape(scrub(result.message))
    return [
        f'<td class="col-rule">{escape(result.rule)}</td>',
        f'<td class="col-item">{escape(result.item)}</td>',
        f'<td class="col-outcome outcome-{escape(result.outcome)}">{escape(said(result.outcome))}'
        "</td>",
        f'<td class="col-message"><div class="message">{message}</div></td>',
    ]
