"""The pages of the archive, rendered from the catalogue (report/catalogue.py), never from the
run folders: the conversion board (index.html at the archive's root) and one page per conversion
listing every run of it (<biller>/<conversion>/index.html).

The board has one row per biller and conversion, soonest maintenance window first: the window's
start and the days until it, the phase the dates put the conversion in (see `phase`; "signed off"
once the PM and the biller approved its latest valid run), for each environment the latest live
run with its validity for sign-off and the rules still outstanding (each linking to its row in
that run's report.html), the latest valid run with its approvals, the latest offline and rehearsal
runs apart, and a chart of the pass rate of the live runs over time. Below it, each conversion's
page, and the archived summaries that could not be read or believed. A run whose files changed
after it was archived (its manifest says so) is marked, and never shown as valid.

Every value reaches a page escaped, as text. A run's validity was computed from its summary when
it was catalogued (report/validity.py), never read from the file; a version 1 summary is shown as
recorded (its mode live may have been a rehearsal) and is never valid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import quote

from conversion_qa.config.model import ENVIRONMENTS
from conversion_qa.report.archive import INDEX, JUNIT, REPORT, SIGNOFF, SUMMARY
from conversion_qa.report.catalogue import (
    CHART_RUNS,
    PAGE_RUNS,
    Conversion,
    Point,
    Record,
    Role,
    Skipped,
    Standing,
    newest_first,
)
from conversion_qa.report.manifest import MANIFEST
from conversion_qa.report.results import FAILING, Mode, Outcome, Plan, said
from conversion_qa.report.validity import NOT_VALID, Why

_COLUMNS = (
    Outcome.FAILED,
    Outcome.ERROR,
    Outcome.NOT_CHECKED,
    Outcome.WARNING,
    Outcome.WAIVED,
    Outcome.PASSED,
    Outcome.SKIPPED,
)
ALTERED = "altered after it was archived"
UNVERIFIABLE = "archived before manifests: not verifiable"


def render(conversions: Sequence[Conversion], now: datetime | None = None) -> str:
    """The board page: every conversion's row, a link to each one's page, the unreadable."""
    now = now or datetime.now(UTC)
    ordered = sorted(conversions, key=lambda c: (c.biller, c.conversion))
    pages = "\n".join(_page_item(c) for c in ordered if c.records)
    skipped = [s for c in ordered for s in c.skipped]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>conversion-qa: conversion board</title>
<style>{_CSS}</style></head>
<body>
<h1>conversion-qa: conversion board</h1>
{board(ordered, now)}
<section id="runs">
<h2>Every archived run</h2>
<p>Each conversion's page lists its latest runs, newest first, with a chart of each mode's pass
rate (passed, warned and waived tests out of all tests that ran, skips not counted), and links a
page of every run of each month.</p>
{f'<ul class="conversions">{pages}</ul>' if pages else '<p id="empty">No run archived yet.</p>'}
</section>
{_skipped_section(skipped)}
</body></html>
"""


def page_key(conversion: Conversion) -> str:
    """Where a conversion's page lies in the archive."""
    return f"{conversion.folder}/{INDEX}"


def _page_item(conversion: Conversion) -> str:
    latest = conversion.records[0]
    href = escape(f"{quote(conversion.folder)}/{INDEX}")
    return (
        f'<li class="conversion-page" data-biller="{escape(conversion.biller)}" '
        f'data-conversion="{escape(conversion.conversion)}"><a href="{href}">'
        f"{escape(latest.biller_name)} ({escape(latest.biller_id)}): conversion "
        f"{escape(latest.conversion)}</a>, latest run {escape(_when(latest))}</li>"
    )


PAGE_CHART_RUNS = 100  # a conversion's page charts its latest runs of every mode


def month_key(conversion: Conversion, month: str) -> str:
    """Where the page of a conversion's runs of one month (YYYY-MM, UTC) lies in the archive."""
    return f"{conversion.folder}/runs-{month}.html"


def conversion_page(conversion: Conversion, now: datetime | None = None) -> str:
    """A conversion's page: its latest runs, newest first, with the pass rate of each mode, and
    a page of every month's runs (so a run rewrites two pages, whatever the history)."""
    runs = list(conversion.records)
    months: dict[str, int] = {}
    for run in runs:
        months[run.month] = months.get(run.month, 0) + 1
    pages = "".join(
        f'<li><a href="{escape(quote(month_key(conversion, month).rsplit("/", 1)[1]))}">'
        f"{escape(month)}</a>: {count} run(s)</li>"
        for month, count in sorted(months.items(), reverse=True)
    )
    shown = runs[:PAGE_RUNS]
    heading = (
        f"the latest {len(shown)} of its {len(runs)} runs, newest first"
        if len(runs) > len(shown)
        else "every archived run, newest first"
    )
    body = (
        f"{chart(runs[:PAGE_CHART_RUNS], _MODE_COLOURS)}\n{_conversion_table(conversion, shown)}"
        f'<h4>Every run, by month (UTC)</h4><ul class="months">{pages}</ul>'
    )
    return _page(conversion, heading, body, now)


def month_page(conversion: Conversion, month: str, now: datetime | None = None) -> str:
    """Every run of a conversion that started in one month (UTC), newest first."""
    runs = [r for r in conversion.records if r.month == month]
    body = _conversion_table(conversion, runs) + f'<p><a href="{INDEX}">its latest runs</a></p>'
    return _page(conversion, f"every run of {month} (UTC), newest first", body, now)


def _page(conversion: Conversion, heading: str, body: str, now: datetime | None) -> str:
    now = now or datetime.now(UTC)
    if conversion.records:
        latest = conversion.records[0]
        title = f"{latest.biller_name} ({latest.biller_id}): conversion {latest.conversion}"
    else:
        title = f"{conversion.biller}: conversion {conversion.conversion}"
    as_of = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>conversion-qa: {escape(title)}</title>
<style>{_CSS}</style></head>
<body>
<p><a href="../../{INDEX}">the conversion board</a></p>
<h1>{escape(title)}</h1>
<p>As of {escape(as_of)}: {escape(heading)}. Pass rate: passed, warned and waived tests out of
all tests that ran (skips not counted), one line per mode.</p>
<section class="biller" id="biller-{escape(conversion.biller)}">
{body}
</section>
{_skipped_section(list(conversion.skipped))}
</body></html>
"""


def _skipped_section(skipped: list[Skipped]) -> str:
    if not skipped:
        return ""
    items = "".join(f"<li>{escape(str(s))}</li>" for s in skipped)
    return (
        '<section id="skipped"><h2>Not listed</h2><p>These archived summaries could not be read '
        "or believed and are left out of the board, the lists and charts; their folders "
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
.altered { color: #b00; font-weight: bold; }
.approved { color: #060; }
ul.approvals { margin: 0.2em 0; padding-left: 1.2em; }
"""


# the board -------------------------------------------------------------------------------------

SIGNED_OFF = "signed off"
PHASES = ("kickoff", "test portal", "conversion weekend", "post-go-live", SIGNED_OFF)
WEEKEND = timedelta(days=4)  # a window without an end: Thursday batch close to Monday morning


def phase(
    itg_submitted: date | None, start: datetime | None, end: datetime | None, now: datetime
) -> str:
    """Where the biller file's dates put a conversion on `now`:

    - kickoff: until the ITG for the test portal is submitted (endpoints, tender types, the plan);
    - test portal: from the ITG's submission until the maintenance window opens;
    - conversion weekend: while the window is open (start to end; without an end, four days);
    - post-go-live: once the window has closed.

    A conversion whose latest valid run the PM and the biller approved is "signed off" instead
    (`stage`)."""
    if start is not None and now >= start:
        return "conversion weekend" if now < (end or start + WEEKEND) else "post-go-live"
    if itg_submitted is not None and now.date() >= itg_submitted:
        return "test portal"
    return "kickoff"


def stage(conversion: Conversion, plan: Plan, now: datetime) -> str:
    """The conversion's phase on the board: signed off, else what its dates say."""
    if conversion.signed_off() is not None:
        return SIGNED_OFF
    return phase(plan.itg_submitted, plan.window_start, plan.window_end, now)


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


def board(conversions: Sequence[Conversion], now: datetime) -> str:
    """The conversion board: one row per biller and conversion, soonest window first."""
    shown = [c for c in conversions if c.records]
    plans = {c.folder: c.records[0].plan for c in shown}  # as its newest run recorded them
    order = sorted(
        shown,
        key=lambda c: (
            plans[c.folder].window_start is None,
            plans[c.folder].window_start or datetime.max.replace(tzinfo=UTC),
            c.biller,
            c.conversion,
        ),
    )
    rows = "\n".join(_board_row(c, plans[c.folder], now) for c in order)
    environments = "".join(f"<th>{escape(e)}: latest live run</th>" for e in ENVIRONMENTS)
    as_of = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<section id="board">
<h2>Conversions</h2>
<p>As of {escape(as_of)} (when this page was written): one row per biller and conversion,
soonest maintenance window first. Phase: kickoff until the test portal's ITG is submitted, test
portal until the window opens, conversion weekend while it is open, post-go-live after; signed off
once the PM and the biller approved the latest valid run. Only a live run can be valid for
sign-off; offline runs and rehearsals are shown apart. A run whose files changed after it was
archived is marked, and never valid.</p>
<table id="conversions"><thead><tr><th>biller</th><th>conversion</th>
<th>window starts</th><th>days to window</th><th>phase</th>{environments}
<th>latest offline and rehearsal runs</th><th>live pass rate</th></tr></thead><tbody>
{rows or '<tr><td colspan="9" class="none">No run archived yet.</td></tr>'}
</tbody></table>
</section>"""


def _board_row(conversion: Conversion, plan: Plan, now: datetime) -> str:
    runs = list(conversion.records)
    latest = runs[0]
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
    where = stage(conversion, plan, now)
    environments = "".join(
        f'<td class="live" data-environment="{escape(e)}">{_live_cell(conversion, e)}</td>'
        for e in ENVIRONMENTS
    )
    live: Sequence[Record | Point] = (
        conversion.history or tuple(r for r in runs if r.mode == Mode.LIVE)[:CHART_RUNS]
    )
    return (
        f'<tr class="conversion" data-biller="{escape(latest.biller_id)}" '
        f'data-conversion="{escape(latest.conversion)}"{days} data-phase="{escape(where)}">'
        f'<td class="biller">{escape(latest.biller_name)} ({escape(latest.biller_id)})</td>'
        f'<td class="conversion-id">{escape(latest.conversion)}</td>'
        f'<td class="window">{window}</td>{days_cell}<td class="phase">{escape(where)}</td>'
        f'{environments}<td class="apart">{_apart_cell(conversion)}</td>'
        f'<td class="history">{chart(live, _LIVE_COLOUR, series_of=_environment)}</td></tr>'
    )


def _environment(run: Record | Point) -> str:
    return run.environment


def _verdict(conversion: Conversion, run: Record) -> tuple[bool, str]:
    """Whether the run is shown valid, and its verdict's markup (an altered run never is)."""
    altered = conversion.altered.get(run.folder)
    if altered is not None:
        return False, (
            f'<span class="validity invalid">{escape(NOT_VALID)}</span> '
            f'<span class="altered" data-run="{escape(run.folder)}">{escape(ALTERED)}: '
            f"{escape(altered)}</span>"
        )
    judged = run.validity
    state = "valid" if judged.valid else "invalid"
    head = f'<span class="validity {state}">{escape(judged.verdict)}</span>'
    if run.manifest is None:
        head += f' <span class="unverifiable none">({escape(UNVERIFIABLE)})</span>'
    return judged.valid, head


def _live_cell(conversion: Conversion, environment: str) -> str:
    """The latest live run of one environment: its validity and what stands in its way; then
    the latest valid run and who approved it."""
    run = conversion.latest(environment, Mode.LIVE)
    if run is None:
        return '<span class="none">no live run yet</span>'
    valid, verdict = _verdict(conversion, run)
    head = (
        f"{verdict}<br>"
        f'<a class="run" href="{run.link(SIGNOFF)}">{escape(_when(run))}</a> '
        f'(<a href="{run.link(REPORT)}">report</a>)'
    )
    if not valid and run.folder not in conversion.altered:
        lists = []
        for kind, whys in (
            ("failed", {Why.FAILED}),
            ("not-checked", {Why.NOT_CHECKED}),
            ("unproven", {Why.NOT_RUN, Why.IN_PART, Why.SKIPPED}),
        ):  # failed and not checked apart: a wrong answer and no answer are different news
            items = "".join(_outstanding_item(run, s) for s in run.outstanding if s.why in whys)
            if items:
                lists.append(f'<ul class="outstanding {kind}">{items}</ul>')
        if lists:
            head += "".join(lists)
        else:
            reasons = "".join(f"<li>{escape(r)}</li>" for r in run.validity.reasons)
            head += f'<ul class="reasons">{reasons}</ul>'
    signable = conversion.latest_valid(environment)
    if signable is None:
        return head
    if signable.folder != run.folder:
        head += (
            f'<div class="latest-valid">latest valid: <a class="valid-run" '
            f'href="{signable.link(SIGNOFF)}">{escape(_when(signable))}</a></div>'
        )
    return head + _approvals(conversion, signable)


def _approvals(conversion: Conversion, run: Record) -> str:
    """Who approved the run (the latest approval of each role), or that nobody has yet."""
    if run.manifest is None:
        return ""
    approved = conversion.approved(run)
    items = []
    for role in Role:
        approval = approved.get(role)
        if approval is None:
            items.append(
                f'<li data-role="{role.value}">{role.shown}: '
                '<span class="none">not approved yet</span></li>'
            )
            continue
        when = approval.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        items.append(
            f'<li data-role="{role.value}" class="approved">{role.shown}: approved by '
            f"{escape(approval.by)}, {escape(when)}</li>"
        )
    return f'<ul class="approvals" data-run="{escape(run.folder)}">{"".join(items)}</ul>'


def _outstanding_item(run: Record, standing: Standing) -> str:
    named = escape(standing.rule)
    if standing.anchor:
        named = f'<a class="rule" href="{run.link(REPORT, standing.anchor)}">{named}</a>'
    why = f"{standing.why}: {standing.detail}" if standing.detail else standing.why
    return f'<li data-rule="{escape(standing.rule)}">{named} ({escape(why)})</li>'


def _apart_cell(conversion: Conversion) -> str:
    """The latest offline run and the latest rehearsal: they prove the file and the plan."""
    lines = []
    for mode in (Mode.OFFLINE, Mode.REHEARSAL):
        run = conversion.latest(None, mode)
        if run is None:
            lines.append(f'<li data-mode="{mode}">{mode}: <span class="none">none</span></li>')
            continue
        failed = run.count(Outcome.FAILED)
        error = run.count(Outcome.ERROR)
        unchecked = run.count(Outcome.NOT_CHECKED)
        alarm = " failed" if failed or error else ""
        mark = ""
        altered = conversion.altered.get(run.folder)
        if altered is not None:
            mark = (
                f' <span class="altered" data-run="{escape(run.folder)}">{escape(ALTERED)}: '
                f"{escape(altered)}</span>"
            )
        lines.append(
            f'<li data-mode="{mode}">{mode}: <a href="{run.link(REPORT)}">{escape(_when(run))}'
            f"</a> {escape(run.environment)}, "
            f'<span class="{alarm.strip()}">{escape(str(failed))} failed, '
            f"{escape(str(error))} errors</span>, "
            f'<span class="not-checked">{unchecked} not checked</span>{mark}</li>'
        )
    return f'<ul class="apart">{"".join(lines)}</ul>'


def _when(run: Record) -> str:
    return run.started[:16].replace("T", " ") + " UTC"


# a conversion's page ---------------------------------------------------------------------------

_MODE_COLOURS: dict[str, str] = {
    Mode.OFFLINE: "#777777",
    Mode.REHEARSAL: "#b8860b",
    Mode.LIVE: "#337ab7",
}
_LIVE_COLOUR: dict[str, str] = {Mode.LIVE: "#337ab7"}


def _conversion_table(conversion: Conversion, runs: list[Record]) -> str:
    head = "".join(f"<th>{escape(said(c))}</th>" for c in _COLUMNS)
    rows = "\n".join(_run_row(conversion, run) for run in newest_first(runs))
    return (
        f'<h4>Conversion {escape(conversion.conversion)}</h4><table class="runs">'
        f"<thead><tr><th>started (UTC)</th><th>environment</th><th>mode</th><th>sign-off</th>"
        f"{head}<th>reports</th></tr></thead><tbody>\n{rows}\n</tbody></table>"
    )


def _count_cell(outcome: Outcome, run: Record) -> str:
    value = run.count(outcome)
    alarm = outcome in FAILING and value > 0
    return f'<td class="n{" failed" if alarm else ""}">{value}</td>'


def _run_row(conversion: Conversion, run: Record) -> str:
    base = conversion.folder  # the page lies in the conversion's folder
    counts = "".join(_count_cell(c, run) for c in _COLUMNS)
    links = " ".join(
        f'<a href="{run.link(name, base=base)}">{escape(label)}</a>'
        for name, label in (
            (REPORT, "report"),
            (SIGNOFF, "sign-off"),
            (SUMMARY, "summary"),
            (JUNIT, "junit"),
            (MANIFEST, "manifest"),
        )
        if name != MANIFEST or run.manifest is not None
    )
    altered = conversion.altered.get(run.folder)
    valid = run.validity.valid and altered is None
    verdict = escape(run.validity.verdict if altered is None else NOT_VALID)
    if altered is not None:
        verdict += (
            f' <span class="altered" data-run="{escape(run.folder)}">{escape(ALTERED)}: '
            f"{escape(altered)}</span>"
        )
    elif run.manifest is None:
        verdict += f' <span class="unverifiable none">({escape(UNVERIFIABLE)})</span>'
    reasons = altered or "; ".join(run.validity.reasons)
    integrity = "altered" if altered else "unverifiable" if run.manifest is None else "archived"
    mode = escape(run.mode)
    if run.version == 1:  # shown as recorded: version 1 wrote live for rehearsals too
        mode += ' <span class="none">(summary version 1)</span>'
    approved = conversion.approved(run)
    signed = "".join(
        f'<br><span class="approved" data-role="{role.value}">{role.shown}: {escape(a.by)}</span>'
        for role, a in sorted(approved.items())
    )
    return (
        f'<tr class="run" data-folder="{escape(run.folder)}" data-mode="{escape(run.mode)}" '
        f'data-integrity="{integrity}">'
        f"<td>{escape(run.started[:19].replace('T', ' '))}</td>"
        f"<td>{escape(run.environment)}</td><td>{mode}</td>"
        f'<td class="validity {"valid" if valid else "invalid"}" title="{escape(reasons)}">'
        f"{verdict}{signed}</td>{counts}<td>{links}</td></tr>"
    )


# the chart -------------------------------------------------------------------------------------


def chart(
    runs: Sequence[Record | Point],
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
        key=lambda p: (p[0], p[2].name),
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
    series: dict[str, list[tuple[datetime, float, Record | Point]]] = {}
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
