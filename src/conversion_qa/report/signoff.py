"""signoff.html: one printable sheet per biller run, one row per catalogue rule, signed on paper.

The sheet opens with its validity (report/validity.py): VALID FOR SIGN-OFF, or NOT VALID FOR
SIGN-OFF with each reason. Only a valid sheet has signature lines; a sheet that is not valid says
why on every printed page instead.

Every value on the sheet (the biller's name, reasons quoting its file or a service) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from conversion_qa.report import drift, validity
from conversion_qa.report.results import RuleResult, Status, Summary, said

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
.status-not-checked { color: #00638a; }
.status-passed { color: #060; } .status-skipped, .status-not-run { color: #555; }
.reason { white-space: pre-wrap; font-size: 9pt; }
.verdict { font-size: 13pt; margin: 1em 0; }
.signatures { margin-top: 2.5em; display: grid; grid-template-columns: 1fr 1fr; gap: 3em; }
.signature .line { border-bottom: 1px solid #000; height: 2.5em; }
.signature p { margin: 0.3em 0; }
.validity { border: 3px solid; padding: 0.5em 1em; margin-bottom: 1em; }
.validity.valid { border-color: #060; color: #060; }
.validity.invalid { border-color: #b00; color: #b00; }
.validity .banner { font-size: 18pt; font-weight: bold; margin: 0.2em 0; }
.validity ul { margin: 0.3em 0; }
.print-why { display: none; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  .validity { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .print-why { display: block; position: fixed; bottom: 0; left: 0; right: 0; font-weight: bold;
    color: #b00; border-top: 1px solid #b00; background: #fff; font-size: 8pt; }
  tr, .signatures { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def render(summary: Summary, drift_rows: Sequence[drift.Row] = ()) -> str:
    """The sign-off sheet of one archived run, from its summary (and a live run's drift rows)."""
    run = summary.run
    judged = validity.of(summary)
    verdict = _verdict(summary.rules)
    facts = {
        "Biller": f"{summary.biller_name} ({summary.biller_id})",
        "Conversion": summary.conversion,
        "Environment": summary.environment,
        "Mode": validity.mode_shown(summary.mode, summary.rehearsal),
        "Run by": run.by,
        "Started": run.started.isoformat(),
        "Finished": run.finished.isoformat(),
        "Suite": f"conversion-qa {run.suite_version}, commit {run.commit}",
    }
    rows = "\n".join(_row(rule) for rule in summary.rules)
    fact_rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in facts.items())
    title = (
        f"Sign-off: {summary.biller_name}, {summary.conversion} "
        f"({summary.environment}, {summary.mode})"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(judged.verdict)}: {escape(title)}</title>
<style>{_CSS}</style></head>
<body>
{_validity(judged)}
<h1>{escape(title)}</h1>
<dl class="facts">{fact_rows}</dl>
<p class="verdict">{escape(verdict)}</p>
<table id="signoff">
<thead><tr><th>Rule</th><th>Status</th><th>Checklist line</th><th>Details</th></tr></thead>
<tbody>
{rows}
</tbody></table>
{drift.table(drift_rows)}
{_signatures(judged, summary.biller_name)}
</body></html>
"""


def _verdict(rules: Sequence[RuleResult]) -> str:
    """What the rules came to: those that failed, then those not checked, each said apart."""
    failed = [r.id for r in rules if r.status is Status.FAILED]
    unchecked = [r for r in rules if r.status is Status.NOT_CHECKED]
    parts = [
        f"{len(failed)} rule(s) failed: {', '.join(failed)}. Do not sign until they pass or are "
        "waived."
        if failed
        else "No rule failed in this run."
    ]
    if unchecked:
        parts.append(
            f"{len(unchecked)} rule(s) not checked: {validity.not_checked(unchecked)}. Not "
            "verdicts: the rules could not look; run again once they can."
        )
    return " ".join(parts)


def _validity(judged: validity.Validity) -> str:
    """The sheet's first words: whether it can be signed, and why not."""
    if judged.valid:
        return (
            '<section id="validity" class="validity valid" data-valid="true">'
            f'<p class="banner">{validity.VALID}</p><p>A live run against the real systems: every '
            "rule that applies to this biller and environment ran, each was checked, and none "
            "failed or was skipped; every waiver used is active.</p></section>"
        )
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in judged.reasons)
    return (
        '<section id="validity" class="validity invalid" data-valid="false">'
        f'<p class="banner">{validity.NOT_VALID}</p><ul class="reasons">{reasons}</ul>'
        "<p>This sheet cannot be signed: it records the run, it is not a sign-off.</p></section>"
    )


def _signatures(judged: validity.Validity, biller_name: str) -> str:
    """Signature lines on a valid sheet; on any other, why not, on every printed page."""
    if not judged.valid:
        why = "; ".join(judged.reasons)
        return f'<div class="print-why">{validity.NOT_VALID}: {escape(why)}</div>'
    return (
        '<div class="signatures">\n'
        f"{_signature('Project manager (Conversion Team)')}\n"
        f"{_signature(f'Biller ({biller_name})')}\n</div>"
    )


def _row(rule: RuleResult) -> str:
    status = str(rule.status)
    css = escape(status.replace(" ", "-"))
    details = rule.reason
    if rule.status is Status.NOT_CHECKED:  # the why first, then each test's text
        details = f"Not checked: {rule.why}.\n\n{details}"
    return (
        f'<tr class="rule" data-rule="{escape(rule.id)}" data-status="{escape(status)}">'
        f"<td><b>{escape(rule.id)}</b><br>{escape(rule.title)}</td>"
        f'<td class="status status-{css}">{escape(said(status))}</td>'
        f"<td>{escape(rule.checklist)}</td>"
        f'<td class="reason">{escape(details)}</td></tr>'
    )


def _signature(who: str) -> str:
    return (
        f'<div class="signature"><div class="line"></div><p>{escape(who)}: name and signature</p>'
        '<div class="line"></div><p>Date</p></div>'
    )
