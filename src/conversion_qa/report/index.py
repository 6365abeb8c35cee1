"""reports/index.html: every archived run, newest first, per biller and conversion, with a chart.

The index reads every summary.json under the archive, including old ones, hand-edited ones and
ones from other versions: none of them is trusted. One it cannot read (not JSON, not the shape
this index reads, another schema_version) is left out with a note on the page, never fatal; every
value of one it can read reaches the page escaped, as text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock

from conversion_qa.report.archive import INDEX, JUNIT, REPORT, SIGNOFF, SUMMARY, write_atomically

READS = (1, 2)  # the schema_versions of summary.json this index reads (1: mode live or offline)
PASSING = ("passed", "warning", "waived")
COUNTED = ("failed", "error", "passed", "warning", "waived")  # skips say nothing about health
_COLUMNS = ("failed", "error", "warning", "waived", "passed", "skipped")


@dataclass(frozen=True)
class ArchivedRun:
    folder: Path  # relative to the archive root
    summary: dict[str, Any]  # checked by unreadable(): the fields the index reads are there

    @property
    def started(self) -> str:
        return str(self.summary["run"]["started"])

    @property
    def pass_rate(self) -> float | None:
        """Passing tests out of all counted ones; None if none counted or a count is no number."""
        counts = self.summary["counts"]
        values = [counts.get(o, 0) for o in COUNTED]
        if not all(_is_count(v) for v in values):
            return None  # a hand-edited summary: shown as written, not charted
        total = sum(values)
        return sum(counts.get(o, 0) for o in PASSING) / total if total else None


@dataclass(frozen=True)
class Skipped:
    """An archived summary.json the index could not read, and why."""

    path: Path  # relative to the archive root
    reason: str

    def __str__(self) -> str:
        return f"{self.path.as_posix()}: {self.reason}"


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def unreadable(summary: object) -> str | None:
    """Why the index cannot list this summary, or None when it has every field the index reads."""
    if not isinstance(summary, dict):
        return f"not a JSON object but {type(summary).__name__}"
    version = summary.get("schema_version")
    if version not in READS or isinstance(version, bool):
        return f"schema_version {version!r}; this index reads versions 1 and 2"
    fields: dict[str, tuple[Any, type]] = {
        "biller": (summary.get("biller"), dict),
        "conversion": (summary.get("conversion"), str),
        "environment": (summary.get("environment"), str),
        "mode": (summary.get("mode"), str),
        "run": (summary.get("run"), dict),
        "counts": (summary.get("counts"), dict),
    }
    for name, (value, kind) in fields.items():
        if value is None:
            return f"no {name}"
        if not isinstance(value, kind):
            return f"{name} is not {'a mapping' if kind is dict else 'text'}"
    for parent, name in (("biller", "id"), ("biller", "name"), ("run", "started")):
        if not isinstance(summary[parent].get(name), str):
            return f"{parent}.{name} is missing or not text"
    missing = [c for c in _COLUMNS if c not in summary["counts"]]
    if missing:
        return f"counts without {', '.join(missing)}"
    return None


def scan(root: Path) -> tuple[list[ArchivedRun], list[Skipped]]:
    """Every complete run folder (one with a summary.json) under the archive root: the ones the
    index can list, and the ones it cannot, each with its reason."""
    runs, skipped = [], []
    for path in sorted(root.glob(f"*/*/*/{SUMMARY}")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue  # a run still being written
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            skipped.append(Skipped(relative, f"cannot be read ({error.strerror or error})"))
            continue
        except ValueError as error:  # not JSON, or not UTF-8
            skipped.append(Skipped(relative, f"not valid JSON ({error})"))
            continue
        reason = unreadable(summary)
        if reason is not None:
            skipped.append(Skipped(relative, reason))
            continue
        runs.append(ArchivedRun(relative.parent, summary))
    return runs, skipped


def archived_runs(root: Path) -> list[ArchivedRun]:
    """Every archived run the index can list."""
    return scan(root)[0]


def _locked(root: Path) -> FileLock:
    # Two runs finishing together: the second one's index must include the first one's folder.
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(root / ".index.lock")


def rebuild(root: Path) -> Path:
    """Rewrite root/index.html from the folders on disk."""
    return rebuild_noting(root)[0]


def rebuild_noting(root: Path) -> tuple[Path, list[Skipped]]:
    """Rewrite root/index.html; also return the summaries it left out."""
    with _locked(root):
        path = root / INDEX
        runs, skipped = scan(root)
        write_atomically(path, render(runs, skipped))
    return path, skipped


def render(runs: list[ArchivedRun], skipped: list[Skipped] | None = None) -> str:
    billers: dict[str, list[ArchivedRun]] = {}
    for run in runs:
        billers.setdefault(run.summary["biller"]["id"], []).append(run)
    sections = "\n".join(_biller_section(b, billers[b]) for b in sorted(billers))
    notes = _skipped_section(skipped or [])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>conversion-qa: archived reports</title>
<style>{_CSS}</style></head>
<body>
<h1>conversion-qa: archived reports</h1>
<p>Every archived run, newest first, per biller and conversion. Pass rate: passed, warned and
waived tests out of all tests that ran (skips not counted).</p>
{sections or '<p id="empty">No run archived yet.</p>'}
{notes}
</body></html>
"""


def _skipped_section(skipped: list[Skipped]) -> str:
    if not skipped:
        return ""
    items = "".join(f"<li>{escape(str(s))}</li>" for s in skipped)
    return (
        '<section id="skipped"><h2>Not listed</h2><p>These archived summaries could not be read '
        "and are left out of the lists and charts above; their folders are as they were.</p>"
        f"<ul>{items}</ul></section>"
    )


_CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }
th { background: #eee; }
td.n { text-align: right; }
.failed { color: #b00; font-weight: bold; }
svg.chart { background: #fafafa; border: 1px solid #ccc; }
"""


def _biller_section(biller: str, runs: list[ArchivedRun]) -> str:
    name = _newest_first(runs)[0].summary["biller"]["name"]
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
    head = "".join(f"<th>{escape(c)}</th>" for c in _COLUMNS)
    rows = "\n".join(_run_row(run) for run in _newest_first(runs))
    return (
        f'<h3>Conversion {escape(conversion)}</h3><table class="runs">'
        f"<thead><tr><th>started (UTC)</th><th>environment</th><th>mode</th>{head}"
        f"<th>reports</th></tr></thead><tbody>\n{rows}\n</tbody></table>"
    )


def _newest_first(runs: list[ArchivedRun]) -> list[ArchivedRun]:
    return sorted(runs, key=lambda r: (r.started, r.folder.name), reverse=True)


def _count_cell(outcome: str, counts: Mapping[str, Any]) -> str:
    value = counts[outcome]
    alarm = outcome in ("failed", "error") and (not _is_count(value) or value > 0)
    return f'<td class="n{" failed" if alarm else ""}">{escape(str(value))}</td>'


def _run_row(run: ArchivedRun) -> str:
    s = run.summary
    counts = "".join(_count_cell(c, s["counts"]) for c in _COLUMNS)
    folder = run.folder.as_posix()
    links = " ".join(
        f'<a href="{escape(quote(folder))}/{name}">{escape(label)}</a>'
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
