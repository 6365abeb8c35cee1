"""reports/index.html: the conversion board, then every archived run, newest first.

The board has one row per biller and conversion, soonest maintenance window first: the window's
start and the days until it, the phase the dates put the conversion in (see `phase`), for each
environment the latest live run with its validity for sign-off and the rules still outstanding
(each linking to its row in that run's report.html), the latest offline and rehearsal runs apart,
and a chart of the pass rate of the live runs over time. Below it, every run, per biller and
conversion, with a chart of each mode's pass rate. One self-contained file, rewritten atomically.

The index reads every summary.json under the archive, including old ones, hand-edited ones and
ones from other versions: none of them is trusted. One it cannot read (not JSON, not the shape
this index reads, another schema_version) is left out with a note on the page, never fatal; every
value of one it can read reaches the page escaped, as text. Validity is computed again from each
summary (report/validity.py), never read from it; a version 1 summary is shown as recorded (its
mode live may have been a rehearsal) and is never valid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from filelock import FileLock

from conversion_qa.config.model import ENVIRONMENTS
from conversion_qa.report import summary_json, trust, validity
from conversion_qa.report.archive import INDEX, JUNIT, REPORT, SIGNOFF, SUMMARY, write_atomically
from conversion_qa.report.results import FAILING, Mode, Outcome, Plan, RuleResult, Summary, said

PASSING = (Outcome.PASSED, Outcome.WARNING, Outcome.WAIVED)
# the judged tests: skips and tests not checked say nothing about health
COUNTED = (*PASSING, Outcome.FAILED, Outcome.ERROR)
_COLUMNS = (
    Outcome.FAILED,
    Outcome.ERROR,
    Outcome.NOT_CHECKED,
    Outcome.WARNING,
    Outcome.WAIVED,
    Outcome.PASSED,
    Outcome.SKIPPED,
)


@dataclass(frozen=True)
class ArchivedRun:
    folder: Path  # relative to the archive root
    summary: Summary

    @property
    def started_at(self) -> datetime:
        return self.summary.run.started

    @property
    def started(self) -> str:
        return self.started_at.astimezone(UTC).isoformat()

    @property
    def mode(self) -> Mode:
        return self.summary.mode  # as recorded: version 1 wrote live for rehearsals too

    @property
    def environment(self) -> str:
        return self.summary.environment

    @cached_property
    def validity(self) -> validity.Validity:
        return validity.of(self.summary)

    def link(self, name: str, anchor: str = "") -> str:
        """The href of one of the run's files (and a row in it), relative to the index."""
        fragment = f"#{quote(anchor, safe='~')}" if anchor else ""
        return escape(f"{quote(self.folder.as_posix())}/{name}{fragment}")

    @property
    def pass_rate(self) -> float | None:
        """Passing tests out of all judged ones; None when none was judged."""
        total = sum(self.summary.count(o) for o in COUNTED)
        return sum(self.summary.count(o) for o in PASSING) / total if total else None


@dataclass(frozen=True)
class Skipped:
    """An archived summary.json the index could not read or believe, and why."""

    path: Path  # relative to the archive root
    reason: str

    def __str__(self) -> str:
        return f"{self.path.as_posix()}: {self.reason}"


def scan(root: Path, now: datetime | None = None) -> tuple[list[ArchivedRun], list[Skipped]]:
    """Every complete run folder (one with a summary.json) under the archive root: the ones the
    index can list, and the ones it cannot read or believe (report/trust.py), each with why."""
    now = now or datetime.now(UTC)
    runs, skipped = [], []
    for path in sorted(root.glob(f"*/*/*/{SUMMARY}")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue  # a run still being written
        try:
            summary = summary_json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            skipped.append(Skipped(relative, f"cannot be read ({error.strerror or error})"))
            continue
        except UnicodeDecodeError as error:
            skipped.append(Skipped(relative, f"not valid JSON ({error})"))
            continue
        except summary_json.Unreadable as error:
            skipped.append(Skipped(relative, str(error)))
            continue
        files = {p.name for p in path.parent.iterdir()}
        doubt = trust.doubt(summary, PurePosixPath(relative.parent.as_posix()), files, now)
        if doubt is not None:
            skipped.append(Skipped(relative, f"not believed: {doubt}"))
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


def rebuild_noting(root: Path, now: datetime | None = None) -> tuple[Path, list[Skipped]]:
    """Rewrite root/index.html (the board as of now); also return the summaries it left out."""
    now = now or datetime.now(UTC)
    with _locked(root):
        path = root / INDEX
        runs, skipped = scan(root, now)
        write_atomically(path, render(runs, skipped, now))
    return path, skipped


def render(
    runs: list[ArchivedRun], skipped: list[Skipped] | None = None, now: datetime | None = None
) -> str:
    now = now or datetime.now(UTC)
    billers: dict[str, list[ArchivedRun]] = {}
    for run in runs:
        billers.setdefault(run.summary.biller_id, []).append(run)
    sections = "\n".join(_biller_section(b, billers[b]) for b in sorted(billers))
    notes = _skipped_section(skipped or [])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>conversion-qa: conversion board</title>
<style>{_CSS}</style></head>
<body>
<h1>conversion-qa: conversion board</h1>
{board(runs, now)}
<section id="runs">
<h2>Every archived run</h2>
<p>Every archived run, newest first, per biller and conversion. Pass rate: passed, warned and
waived tests out of all tests that ran (skips not counted), one line per mode.</p>
{sections or '<p id="empty">No run archived yet.</p>'}
</section>
{notes}
</body></html>
"""


def _skipped_section(skipped: list[Skipped]) -> str:
    if not skipped:
        return ""
    items = "".join(f"<li>{escape(str(s))}</li>" for s in skipped)
    return (
        '<section id="skipped"><h2>Not listed</h2><p>These archived summaries could not be read '
        "or believed and are left out of the board, the lists and charts above; their folders "
        f"are as they were.</p><ul>{items}</ul></section>"
    )


_CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; }
.failed { color: #b00; font-weight: bold; }
svg.chart { background: #fafafa; border: 1px solid #ccc; }
.validity { font-weight: bold; white-space: nowrap; }
.validity.valid { color: #060; } .validity.invalid { color: #b00; }
ul.outstanding, ul.reasons { margin: 0.2em 0; padding-left: 1.2em; }
td.days, td.window { white-space: nowrap; }
.past { color: #777; }
.none { color: #777; font-style: italic; }
"""


# the board -------------------------------------------------------------------------------------

PHASES = ("kickoff", "test portal", "conversion weekend", "post-go-live")
WEEKEND = timedelta(days=4)  # a window without an end: Thursday batch close to Monday morning


def phase(
    itg_submitted: date | None, start: datetime | None, end: datetime | None, now: datetime
) -> str:
    """Where the biller file's dates put a conversion on `now`:

    - kickoff: until the ITG for the test portal is submitted (endpoints, tender types, the plan);
    - test portal: from the ITG's submission until the maintenance window opens;
    - conversion weekend: while the window is open (start to end; without an end, four days);
    - post-go-live: once the window has closed.
    """
    if start is not None and now >= start:
        return "conversion weekend" if now < (end or start + WEEKEND) else "post-go-live"
    if itg_submitted is not None and now.date() >= itg_submitted:
        return "test portal"
    return "kickoff"


def days_until(start: datetime, now: datetime) -> int:
    """Calendar days from now to the window's start, in the window's own time zone."""
    return (start.date() - now.astimezone(start.tzinfo).date()).days


def days_text(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def plan_of(runs: Sequence[ArchivedRun]) -> Plan:
    """A conversion's dates as its newest summary recorded them."""
    return _newest_first(list(runs))[0].summary.plan


def board(runs: list[ArchivedRun], now: datetime) -> str:
    """The conversion board: one row per biller and conversion, soonest window first."""
    conversions: dict[tuple[str, str], list[ArchivedRun]] = {}
    for run in runs:
        key = (run.summary.biller_id, run.summary.conversion)
        conversions.setdefault(key, []).append(run)
    plans = {key: plan_of(found) for key, found in conversions.items()}
    order = sorted(
        conversions,
        key=lambda k: (
            plans[k].window_start is None,
            plans[k].window_start or datetime.max.replace(tzinfo=UTC),
            k,
        ),
    )
    rows = "\n".join(_board_row(key, conversions[key], plans[key], now) for key in order)
    environments = "".join(f"<th>{escape(e)}: latest live run</th>" for e in ENVIRONMENTS)
    as_of = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<section id="board">
<h2>Conversions</h2>
<p>As of {escape(as_of)} (when this page was written): one row per biller and conversion,
soonest maintenance window first. Phase: kickoff until the test portal's ITG is submitted, test
portal until the window opens, conversion weekend while it is open, post-go-live after. Only a
live run can be valid for sign-off; offline runs and rehearsals are shown apart.</p>
<table id="conversions"><thead><tr><th>biller</th><th>conversion</th>
<th>window starts</th><th>days to window</th><th>phase</th>{environments}
<th>latest offline and rehearsal runs</th><th>live pass rate</th></tr></thead><tbody>
{rows or '<tr><td colspan="9" class="none">No run archived yet.</td></tr>'}
</tbody></table>
</section>"""


def _board_row(key: tuple[str, str], runs: list[ArchivedRun], plan: Plan, now: datetime) -> str:
    biller, conversion = key
    name = _newest_first(runs)[0].summary.biller_name
    start = plan.window_start
    if start is None:
        window = '<span class="none">not recorded</span>'
        days, days_cell = "", '<td class="days"></td>'
    else:
        window = escape(start.isoformat(" ", "minutes"))  # in the window's own time zone
        number = days_until(start, now)
        past = " past" if number < 0 else ""
        days = f' data-days="{number}"'
        days_cell = f'<td class="days{past}"{days}>{escape(days_text(number))}</td>'
    stage = phase(plan.itg_submitted, start, plan.window_end, now)
    environments = "".join(
        f'<td class="live" data-environment="{escape(e)}">'
        f"{_live_cell([r for r in runs if r.environment == e])}</td>"
        for e in ENVIRONMENTS
    )
    live = [r for r in runs if r.mode == Mode.LIVE]
    return (
        f'<tr class="conversion" data-biller="{escape(biller)}" '
        f'data-conversion="{escape(conversion)}"{days} data-phase="{escape(stage)}">'
        f'<td class="biller">{escape(name)} ({escape(biller)})</td>'
        f'<td class="conversion-id">{escape(conversion)}</td>'
        f'<td class="window">{window}</td>{days_cell}<td class="phase">{escape(stage)}</td>'
        f'{environments}<td class="apart">{_apart_cell(runs)}</td>'
        f'<td class="history">{chart(live, _LIVE_COLOUR, series_of=_environment)}</td></tr>'
    )


def _environment(run: ArchivedRun) -> str:
    return run.environment


def _live_cell(runs: list[ArchivedRun]) -> str:
    """The latest live run of one environment: its validity and what stands in its way."""
    live = _newest_first([r for r in runs if r.mode == Mode.LIVE])
    if not live:
        return '<span class="none">no live run yet</span>'
    run = live[0]
    judged = run.validity
    state = "valid" if judged.valid else "invalid"
    head = (
        f'<span class="validity {state}">{escape(judged.verdict)}</span><br>'
        f'<a class="run" href="{run.link(SIGNOFF)}">{escape(_when(run))}</a> '
        f'(<a href="{run.link(REPORT)}">report</a>)'
    )
    if judged.valid:
        return head
    standing = validity.outstanding(run.summary)
    lists = []
    for kind, whys in (
        ("failed", {validity.Why.FAILED}),
        ("not-checked", {validity.Why.NOT_CHECKED}),
        ("unproven", {validity.Why.NOT_RUN, validity.Why.IN_PART, validity.Why.SKIPPED}),
    ):  # failed and not checked apart: a wrong answer and no answer are different news
        items = "".join(_outstanding_item(run, r, why) for r, why in standing if why in whys)
        if items:
            lists.append(f'<ul class="outstanding {kind}">{items}</ul>')
    if lists:
        return head + "".join(lists)
    reasons = "".join(f"<li>{escape(r)}</li>" for r in judged.reasons)
    return f'{head}<ul class="reasons">{reasons}</ul>'


def _outstanding_item(run: ArchivedRun, rule: RuleResult, why: str) -> str:
    named = escape(rule.id)
    if rule.anchor:
        named = f'<a class="rule" href="{run.link(REPORT, rule.anchor)}">{named}</a>'
    said = f"{why}: {rule.why}" if why == validity.Why.NOT_CHECKED and rule.why else why
    return f'<li data-rule="{escape(rule.id)}">{named} ({escape(said)})</li>'


def _apart_cell(runs: list[ArchivedRun]) -> str:
    """The latest offline run and the latest rehearsal: they prove the file and the plan."""
    lines = []
    for mode in (Mode.OFFLINE, Mode.REHEARSAL):
        latest = _newest_first([r for r in runs if r.mode == mode])
        if not latest:
            lines.append(f'<li data-mode="{mode}">{mode}: <span class="none">none</span></li>')
            continue
        run = latest[0]
        failed = run.summary.count(Outcome.FAILED)
        error = run.summary.count(Outcome.ERROR)
        unchecked = run.summary.count(Outcome.NOT_CHECKED)
        alarm = " failed" if failed or error else ""
        lines.append(
            f'<li data-mode="{mode}">{mode}: <a href="{run.link(REPORT)}">{escape(_when(run))}'
            f"</a> {escape(run.environment)}, "
            f'<span class="{alarm.strip()}">{escape(str(failed))} failed, '
            f"{escape(str(error))} errors</span>, "
            f'<span class="not-checked">{unchecked} not checked</span></li>'
        )
    return f'<ul class="apart">{"".join(lines)}</ul>'


def _when(run: ArchivedRun) -> str:
    return run.started[:16].replace("T", " ") + " UTC"


# the run list ----------------------------------------------------------------------------------


def _biller_section(biller: str, runs: list[ArchivedRun]) -> str:
    name = _newest_first(runs)[0].summary.biller_name
    conversions: dict[str, list[ArchivedRun]] = {}
    for run in runs:
        conversions.setdefault(run.summary.conversion, []).append(run)
    tables = "\n".join(
        _conversion_table(conversion, conversions[conversion]) for conversion in sorted(conversions)
    )
    return (
        f'<section class="biller" id="biller-{escape(biller)}">'
        f"<h3>{escape(name)} ({escape(biller)})</h3>\n{chart(runs, _MODE_COLOURS)}\n{tables}"
        "</section>"
    )


_MODE_COLOURS: dict[str, str] = {
    Mode.OFFLINE: "#777777",
    Mode.REHEARSAL: "#b8860b",
    Mode.LIVE: "#337ab7",
}
_LIVE_COLOUR: dict[str, str] = {Mode.LIVE: "#337ab7"}


def _conversion_table(conversion: str, runs: list[ArchivedRun]) -> str:
    head = "".join(f"<th>{escape(said(c))}</th>" for c in _COLUMNS)
    rows = "\n".join(_run_row(run) for run in _newest_first(runs))
    return (
        f'<h4>Conversion {escape(conversion)}</h4><table class="runs">'
        f"<thead><tr><th>started (UTC)</th><th>environment</th><th>mode</th><th>sign-off</th>"
        f"{head}<th>reports</th></tr></thead><tbody>\n{rows}\n</tbody></table>"
    )


def _newest_first(runs: list[ArchivedRun]) -> list[ArchivedRun]:
    """By the parsed time each run started (not its text), then its folder's name."""
    return sorted(runs, key=lambda r: (r.started_at, r.folder.name), reverse=True)


def _count_cell(outcome: Outcome, summary: Summary) -> str:
    value = summary.count(outcome)
    alarm = outcome in FAILING and value > 0
    return f'<td class="n{" failed" if alarm else ""}">{value}</td>'


def _run_row(run: ArchivedRun) -> str:
    s = run.summary
    counts = "".join(_count_cell(c, s) for c in _COLUMNS)
    folder = run.folder.as_posix()
    links = " ".join(
        f'<a href="{run.link(name)}">{escape(label)}</a>'
        for name, label in (
            (REPORT, "report"),
            (SIGNOFF, "sign-off"),
            (SUMMARY, "summary"),
            (JUNIT, "junit"),
        )
    )
    judged = run.validity
    state = "valid" if judged.valid else "invalid"
    mode = escape(s.mode)
    if s.version == 1:  # shown as recorded: version 1 wrote live for rehearsals too
        mode += ' <span class="none">(summary version 1)</span>'
    return (
        f'<tr class="run" data-folder="{escape(folder)}" data-mode="{escape(s.mode)}">'
        f"<td>{escape(run.started[:19].replace('T', ' '))}</td>"
        f"<td>{escape(s.environment)}</td><td>{mode}</td>"
        f'<td class="validity {state}" title="{escape("; ".join(judged.reasons))}">'
        f"{escape(judged.verdict)}</td>{counts}<td>{links}</td></tr>"
    )


# the chart -------------------------------------------------------------------------------------


def chart(
    runs: list[ArchivedRun],
    colours: Mapping[str, str],
    *,
    series_of: Any = None,
    width: int = 340,
    height: int = 130,
) -> str:
    """An inline SVG of the pass rate over time: one dot per run at its date, one line per mode
    (or per series_of(run)), a dated time axis and a labelled 0-100% axis."""
    points = sorted(
        (
            (when, rate, run)
            for run in runs
            if (rate := run.pass_rate) is not None and (when := run.started_at) is not None
        ),
        key=lambda p: (p[0], p[2].folder.name),
    )
    if not points:
        what = "live run" if set(colours) == {Mode.LIVE} else "test"
        return f'<p class="chart none">No {what} yet: no pass rate to chart.</p>'
    left, right, top, bottom = 40, 12, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0][0], points[-1][0]
    span = (last - first).total_seconds()

    def x(when: datetime) -> float:
        if span == 0:
            return left + plot_w / 2
        return left + (when - first).total_seconds() / span * plot_w

    def y(rate: float) -> float:
        return top + (1 - rate) * plot_h

    grid = "".join(
        f'<line x1="{left}" y1="{y(r):.1f}" x2="{width - right}" y2="{y(r):.1f}" stroke="#ddd"/>'
        f'<text x="{left - 4}" y="{y(r) + 3:.1f}" text-anchor="end" font-size="9" fill="#555">'
        f"{r:.0%}</text>"
        for r in (0.0, 0.5, 1.0)
    )
    ticks = [first] if span == 0 else [first, first + (last - first) / 2, last]
    anchors = ["middle"] if span == 0 else ["start", "middle", "end"]
    stamp = "%Y-%m-%d" if span >= 2 * 86400 else "%m-%d %H:%M"  # runs within two days: times
    dates = "".join(
        f'<text class="tick" x="{x(t):.1f}" y="{top + plot_h + 12}" font-size="9" fill="#555" '
        f'text-anchor="{where}">{escape(t.astimezone(UTC).strftime(stamp))}</text>'
        for t, where in zip(ticks, anchors, strict=True)
    )
    axes = (
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>'
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#999"/>'
        f'<text class="axis" x="{left + plot_w / 2:.1f}" y="{height - 4}" font-size="9" '
        'text-anchor="middle" fill="#333">run date (UTC)</text>'
        f'<text class="axis" x="10" y="{top + plot_h / 2:.1f}" font-size="9" fill="#333" '
        f'text-anchor="middle" transform="rotate(-90 10 {top + plot_h / 2:.1f})">pass rate</text>'
    )
    series: dict[str, list[tuple[datetime, float, ArchivedRun]]] = {}
    for point in points:
        name = series_of(point[2]) if series_of else point[2].mode
        series.setdefault(str(name), []).append(point)
    palette = ("#337ab7", "#8e44ad", "#16a085", "#777777")
    lines, legend = [], []
    for index, (name, members) in enumerate(series.items()):
        colour = colours.get(name) or palette[index % len(palette)]
        coords = " ".join(f"{x(w):.1f},{y(r):.1f}" for w, r, _ in members)
        lines.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        lines += [
            f'<circle cx="{x(w):.1f}" cy="{y(r):.1f}" r="3" '
            f'fill="{"#3c763d" if r == 1 else "#d9534f"}" stroke="{colour}">'
            f"<title>{escape(run.started)} {escape(run.environment)} "
            f"{escape(run.mode)}: {r:.0%}</title></circle>"
            for w, r, run in members
        ]
        legend.append(
            f'<text x="{width - right - 4}" y="{top + 10 + 10 * index}" text-anchor="end" '
            f'font-size="9" fill="{colour}">{escape(name)}</text>'
        )
    latest = points[-1][1]
    return (
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>pass rate over {len(points)} run(s), {escape(first.strftime('%Y-%m-%d'))} to "
        f"{escape(last.strftime('%Y-%m-%d'))}; latest {latest:.0%}</title>"
        f"{grid}{axes}{dates}{''.join(lines)}{''.join(legend)}</svg>"
        f' <span class="rate">latest pass rate {latest:.0%}</span>'
    )
