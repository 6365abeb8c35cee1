"""reports/index.html: every archived run, newest first, per biller and conversion, with a chart."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from filelock import FileLock

from conversion_qa.report.archive import INDEX, JUNIT, REPORT, SIGNOFF, SUMMARY, write_atomically

PASSING = ("passed", "warning", "waived")
COUNTED = ("failed", "error", "passed", "warning", "waived")  # skips say nothing about health


@dataclass(frozen=True)
class ArchivedRun:
    folder: Path  # relative to the archive root
    summary: dict[str, Any]

    @property
    def started(self) -> str:
        return str(self.summary["run"]["started"])

    @property
    def pass_rate(self) -> float | None:
        counts = self.summary["counts"]
        total = sum(counts.get(o, 0) for o in COUNTED)
        return sum(counts.get(o, 0) for o in PASSING) / total if total else None


def archived_runs(root: Path) -> list[ArchivedRun]:
    """Every complete run folder (one with a readable summary.json) under the archive root."""
    runs = []
    for path in root.glob(f"*/*/*/{SUMMARY}"):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # a run still being written
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        runs.append(ArchivedRun(path.parent.relative_to(root), summary))
    return runs


def _locked(root: Path) -> FileLock:
    # Two runs finishing together: the second one's index must include the first one's folder.
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(root / ".index.lock")


def rebuild(root: Path) -> Path:
    """Rewrite root/index.html from the folders on disk."""
    with _locked(root):
        path = root / INDEX
        write_atomically(path, render(archived_runs(root)))
    return path


def render(runs: list[ArchivedRun]) -> str:
    billers: dict[str, list[ArchivedRun]] = {}
    for run in runs:
        billers.setdefault(run.summary["biller"]["id"], []).append(run)
    sections = "\n".join(_biller_section(b, billers[b]) for b in sorted(billers))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>conversion-qa: archived reports</title>
<style>{_CSS}</style></head>
<body>
<h1>conversion-qa: archived reports</h1>
<p>Every archived run, newest first, per biller and conversion. Pass rate: passed, warned and
waived tests out of all tests that ran (skips not counted).</p>
{sections or '<p id="empty">No run archived yet.</p>'}
</body></html>
"""


_CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }
th { background: #eee; }
td.n { text-align: right; }
.failed { color: #b00; font-weight: bold; }
svg.chart { background: #fafafa; border: 1px solid #ccc; }
"""

_COLUMNS = ("failed", "error", "warning", "waived", "passed", "skipped")


def _biller_section(biller: str, runs: list[ArchivedRun]) -> str:
    name = runs[0].summary["biller"]["name"]
    conversions: dict[str, list[ArchivedRun]] = {}
    for run in runs:
        conversions.setdefault(run.summary["conversion"], []).append(run)
    tables = "\n".join(
        _conversion_table(conversion, conversions[conversion]) for conversion in sorted(conversions)
    )
    return (
        f'<section class="biller" id="biller-{escape(biller)}">'
        f"<h2>{escape(name)} ({escape(biller)})</h2>\n{chart(runs)}\n{tables}</section>"
    )


def _conversion_table(conversion: str, runs: list[ArchivedRun]) -> str:
    head = "".join(f"<th>{c}</th>" for c in _COLUMNS)
    rows = "\n".join(_run_row(run) for run in _newest_first(runs))
    return (
        f'<h3>Conversion {escape(conversion)}</h3><table class="runs">'
        f"<thead><tr><th>started (UTC)</th><th>environment</th><th>mode</th>{head}"
        f"<th>reports</th></tr></thead><tbody>\n{rows}\n</tbody></table>"
    )


def _newest_first(runs: list[ArchivedRun]) -> list[ArchivedRun]:
    return sorted(runs, key=lambda r: (r.started, r.folder.name), reverse=True)


def _run_row(run: ArchivedRun) -> str:
    s = run.summary
    counts = "".join(
        f'<td class="n{" failed" if c in ("failed", "error") and s["counts"][c] else ""}">'
        f"{s['counts'][c]}</td>"
        for c in _COLUMNS
    )
    folder = run.folder.as_posix()
    links = " ".join(
        f'<a href="{escape(folder)}/{name}">{label}</a>'
        for name, label in (
            (REPORT, "report"),
            (SIGNOFF, "sign-off"),
            (SUMMARY, "summary"),
            (JUNIT, "junit"),
        )
    )
    return (
        f'<tr class="run" data-folder="{escape(folder)}">'
        f"<td>{escape(run.started[:19].replace('T', ' '))}</td>"
        f"<td>{escape(s['environment'])}</td><td>{escape(s['mode'])}</td>{counts}"
        f"<td>{links}</td></tr>"
    )


def chart(runs: list[ArchivedRun], width: int = 320, height: int = 80) -> str:
    """An inline SVG of the pass rate over a biller's runs, oldest to newest."""
    points = [
        (r, rate)
        for r in sorted(runs, key=lambda r: (r.started, r.folder.name))
        if (rate := r.pass_rate) is not None
    ]
    pad = 8
    if not points:
        return '<p class="chart">No test ran yet: no pass rate to chart.</p>'
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = [
        (pad + i * step if len(points) > 1 else width / 2, pad + (1 - rate) * (height - 2 * pad))
        for i, (_, rate) in enumerate(points)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{"#3c763d" if rate == 1 else "#d9534f"}">'
        f"<title>{escape(run.started)} {escape(run.summary['environment'])} "
        f"{escape(run.summary['mode'])}: {rate:.0%}</title></circle>"
        for (x, y), (run, rate) in zip(coords, points, strict=True)
    )
    latest = points[-1][1]
    return (
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>pass rate over {len(points)} run(s); latest {latest:.0%}</title>"
        f'<line x1="{pad}" y1="{pad}" x2="{width - pad}" y2="{pad}" stroke="#ddd"/>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#ddd"/>'
        f'<text x="{width - pad}" y="{pad + 10}" text-anchor="end" font-size="9" fill="#999">'
        "100%</text>"
        f'<text x="{width - pad}" y="{height - pad - 2}" text-anchor="end" font-size="9" '
        'fill="#999">0%</text>'
        f'<polyline points="{line}" fill="none" stroke="#337ab7" stroke-width="2"/>{dots}</svg>'
        f' <span class="rate">latest pass rate {latest:.0%}</span>'
    )
