"""signoff.html: one printable sheet per biller run, one row per catalogue rule, signed on paper.

Every value on the sheet (the biller's name, reasons quoting its file or a service) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from conversion_qa.report import drift

_CSS = """
body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; margin: 2em; color: #111; }
h1 { font-size: 16pt; margin-bottom: 0.2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #888; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dl.facts dt { font-weight: bold; }
.status { font-weight: bold; text-transform: uppercase; white-space: nowrap; }
.status-failed { color: #b00; } .status-warning, .status-waived { color: #8a6d00; }
.status-passed { color: #060; } .status-skipped, .status-not-run { color: #555; }
.reason { white-space: pre-wrap; font-size: 9pt; }
.verdict { font-size: 13pt; margin: 1em 0; }
.signatures { margin-top: 2.5em; display: grid; grid-template-columns: 1fr 1fr; gap: 3em; }
.signature .line { border-bottom: 1px solid #000; height: 2.5em; }
.signature p { margin: 0.3em 0; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  tr, .signatures { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def render(summary: dict[str, Any], drift_rows: Sequence[drift.Row] = ()) -> str:
    """The sign-off sheet of one archived run, from its summary (and a live run's drift rows)."""
    biller, run = summary["biller"], summary["run"]
    failed = [r["id"] for r in summary["rules"] if r["status"] == "failed"]
    verdict = (
        f"{len(failed)} rule(s) failed: {', '.join(failed)}. Do not sign until they pass or are "
        "waived."
        if failed
        else "No rule failed in this run."
    )
    facts = {
        "Biller": f"{biller['name']} ({biller['id']})",
        "Conversion": summary["conversion"],
        "Environment": summary["environment"],
        "Mode": summary["mode"],
        "Run by": run["by"],
        "Started": run["started"],
        "Finished": run["finished"],
        "Suite": f"conversion-qa {run['suite_version']}, commit {run['commit']}",
    }
    rows = "\n".join(_row(rule) for rule in summary["rules"])
    fact_rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in facts.items())
    title = (
        f"Sign-off: {biller['name']}, {summary['conversion']} "
        f"({summary['environment']}, {summary['mode']})"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>{_CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<dl class="facts">{fact_rows}</dl>
<p class="verdict">{escape(verdict)}</p>
<table id="signoff">
<thead><tr><th>Rule</th><th>Status</th><th>Checklist line</th><th>Details</th></tr></thead>
<tbody>
{rows}
</tbody></table>
{drift.table(drift_rows)}
<div class="signatures">
{_signature("Project manager (Conversion Team)")}
{_signature(f"Biller ({biller['name']})")}
</div>
</body></html>
"""


def _row(rule: dict[str, Any]) -> str:
    status = str(rule["status"])
    css = escape(status.replace(" ", "-"))
    return (
        f'<tr class="rule" data-rule="{escape(str(rule["id"]))}" data-status="{escape(status)}">'
        f"<td><b>{escape(str(rule['id']))}</b><br>{escape(str(rule['title']))}</td>"
        f'<td class="status status-{css}">{escape(status)}</td>'
        f"<td>{escape(str(rule['checklist']))}</td>"
        f'<td class="reason">{escape(str(rule["reason"]))}</td></tr>'
    )


def _signature(who: str) -> str:
    return (
        f'<div class="signature"><div class="line"></div><p>{escape(who)}: name and signature</p>'
        '<div class="line"></div><p>Date</p></div>'
    )
