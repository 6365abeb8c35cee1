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

The pages are templates (templates/board.html, board-section.html and conversion.html, with
their parts in archive.html) rendered with autoescaping: every value reaches a page escaped, as
text. Offline runs and rehearsals are said in neutral words ("offline: 33 of 33 passed, proves
the file, not a sign-off"); red is kept for live runs that cannot be signed. A run's validity
was computed from its summary when it was catalogued (report/validity.py), never read from the
file; a version 1 summary is shown as recorded (its mode live may have been a rehearsal) and is
never valid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from conversion_qa.config.model import ENVIRONMENTS
from conversion_qa.report import templates
from conversion_qa.report.archive import INDEX, JUNIT, REPORT, SIGNOFF, SUMMARY
from conversion_qa.report.catalogue import (
    CHART_RUNS,
    PAGE_RUNS,
    Approval,
    Conversion,
    Point,
    Record,
    Role,
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
PAGE_CHART_RUNS = 100  # a conversion's page charts its latest runs of every mode
BOARD_CHART_WIDTH = 240  # the board's live chart: with the other columns, within 1280 px


def _names() -> dict[str, object]:
    """What every archive template may use beside its own values."""
    return {
        "when": _when,
        "days_text": days_text,
        "utc_minutes": _utc_minutes,
        "signoff_name": SIGNOFF,
        "report_name": REPORT,
        "index_name": INDEX,
        "altered_text": ALTERED,
        "unverifiable_text": UNVERIFIABLE,
    }


def render(conversions: Sequence[Conversion], now: datetime | None = None) -> str:
    """The board page: every conversion's row, a link to each one's page, the unreadable."""
    now = now or datetime.now(UTC)
    ordered = sorted(conversions, key=lambda c: (c.biller, c.conversion))
    return templates.render(
        "board.html",
        board=board_view(ordered, now),
        pages=[(c, c.records[0], f"{quote(c.folder)}/{INDEX}") for c in ordered if c.records],
        skipped=[s for c in ordered for s in c.skipped],
        **_names(),
    )


def page_key(conversion: Conversion) -> str:
    """Where a conversion's page lies in the archive."""
    return f"{conversion.folder}/{INDEX}"


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
    shown = runs[:PAGE_RUNS]
    heading = (
        f"the latest {len(shown)} of its {len(runs)} runs, newest first"
        if len(runs) > len(shown)
        else "every archived run, newest first"
    )
    return _page(
        conversion,
        heading,
        now,
        chart=chart_view(runs[:PAGE_CHART_RUNS], _MODE_COLOURS),
        runs=_run_rows(conversion, shown),
        months=[
            (month, count, quote(month_key(conversion, month).rsplit("/", 1)[1]))
            for month, count in sorted(months.items(), reverse=True)
        ],
    )


def month_page(conversion: Conversion, month: str, now: datetime | None = None) -> str:
    """Every run of a conversion that started in one month (UTC), newest first."""
    runs = [r for r in conversion.records if r.month == month]
    heading = f"every run of {month} (UTC), newest first"
    return _page(
        conversion, heading, now, chart=None, runs=_run_rows(conversion, runs), months=None
    )


def _page(conversion: Conversion, heading: str, now: datetime | None, **parts: object) -> str:
    now = now or datetime.now(UTC)
    if conversion.records:
        latest = conversion.records[0]
        title = f"{latest.biller_name} ({latest.biller_id}): conversion {latest.conversion}"
    else:
        title = f"{conversion.biller}: conversion {conversion.conversion}"
    return templates.render(
        "conversion.html",
        conversion=conversion,
        title=title,
        heading=heading,
        as_of=now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        skipped=list(conversion.skipped),
        columns=[said(c) for c in _COLUMNS],
        **parts,
        **_names(),
    )


def _utc_minutes(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


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


@dataclass(frozen=True)
class Verdict:
    """A run's validity as a page shows it (an altered run is never valid)."""

    valid: bool
    text: str
    altered: str | None  # what changed since it was archived, or None
    unverifiable: bool  # archived before manifests


@dataclass(frozen=True)
class LiveCell:
    """The latest live run of one environment, what stands in its way, the latest valid run."""

    environment: str
    run: Record | None
    verdict: Verdict | None
    outstanding: tuple[tuple[str, tuple[Standing, ...]], ...]  # (kind, rules) of an invalid run
    reasons: tuple[str, ...]  # an invalid run's reasons, when no rule stands in its way
    signable: Record | None  # the latest valid run, when it is another
    approvals: tuple[tuple[Role, Approval | None], ...] | None  # of the latest valid run


@dataclass(frozen=True)
class Apart:
    """The latest offline run or rehearsal, in neutral words: it proves the file or the plan."""

    mode: Mode
    run: Record | None
    words: str  # "33 of 33 passed, proves the file, not a sign-off"
    altered: str | None


@dataclass(frozen=True)
class BoardRow:
    conversion: Conversion
    latest: Record
    window: str | None  # its start, in its own time zone; None: not recorded
    days: int | None
    phase: str
    live: tuple[LiveCell, ...]
    apart: tuple[Apart, ...]
    chart: Chart


@dataclass(frozen=True)
class Board:
    rows: tuple[BoardRow, ...]
    environments: tuple[str, ...]
    as_of: str


def board(conversions: Sequence[Conversion], now: datetime) -> str:
    """The conversion board's section: one row per biller and conversion, soonest window first."""
    return templates.render("board-section.html", board=board_view(conversions, now), **_names())


def board_view(conversions: Sequence[Conversion], now: datetime) -> Board:
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
    return Board(
        rows=tuple(_board_row(c, plans[c.folder], now) for c in order),
        environments=tuple(ENVIRONMENTS),
        as_of=now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def _board_row(conversion: Conversion, plan: Plan, now: datetime) -> BoardRow:
    runs = list(conversion.records)
    start = plan.window_start
    live: Sequence[Record | Point] = (
        conversion.history or tuple(r for r in runs if r.mode == Mode.LIVE)[:CHART_RUNS]
    )
    return BoardRow(
        conversion=conversion,
        latest=runs[0],
        window=start.isoformat(" ", "minutes") if start is not None else None,
        days=days_until(start, now) if start is not None else None,
        phase=stage(conversion, plan, now),
        live=tuple(_live_cell(conversion, e) for e in ENVIRONMENTS),
        apart=tuple(_apart(conversion, mode) for mode in (Mode.OFFLINE, Mode.REHEARSAL)),
        chart=chart_view(live, _LIVE_COLOUR, series_of=_environment, width=BOARD_CHART_WIDTH),
    )


def _environment(run: Record | Point) -> str:
    return run.environment


def _verdict(conversion: Conversion, run: Record) -> Verdict:
    altered = conversion.altered.get(run.folder)
    if altered is not None:
        return Verdict(False, NOT_VALID, altered, False)
    return Verdict(run.validity.valid, run.validity.verdict, None, run.manifest is None)


_OUTSTANDING = (  # failed and not checked apart: a wrong answer and no answer are different news
    ("failed", {Why.FAILED}),
    ("not-checked", {Why.NOT_CHECKED}),
    ("unproven", {Why.NOT_RUN, Why.IN_PART, Why.SKIPPED}),
)


def _live_cell(conversion: Conversion, environment: str) -> LiveCell:
    run = conversion.latest(environment, Mode.LIVE)
    if run is None:
        return LiveCell(environment, None, None, (), (), None, None)
    verdict = _verdict(conversion, run)
    outstanding: tuple[tuple[str, tuple[Standing, ...]], ...] = ()
    reasons: tuple[str, ...] = ()
    if not verdict.valid and verdict.altered is None:
        outstanding = tuple(
            (kind, found)
            for kind, whys in _OUTSTANDING
            if (found := tuple(s for s in run.outstanding if s.why in whys))
        )
        reasons = () if outstanding else run.validity.reasons
    signable = conversion.latest_valid(environment)
    approvals = None
    if signable is not None and signable.manifest is not None:
        approved = conversion.approved(signable)
        approvals = tuple((role, approved.get(role)) for role in Role)
    return LiveCell(
        environment,
        run,
        verdict,
        outstanding,
        reasons,
        signable if signable is not None and signable.folder != run.folder else None,
        approvals,
    )


def _apart(conversion: Conversion, mode: Mode) -> Apart:
    """The latest run of a mode that cannot sign off, in neutral words: what passed of what ran,
    and what such a run proves."""
    run = conversion.latest(None, mode)
    if run is None:
        return Apart(mode, None, "none", None)
    ran = sum(run.count(o) for o in Outcome if o not in (Outcome.SKIPPED, Outcome.XFAILED))
    passed = sum(run.count(o) for o in (Outcome.PASSED, Outcome.WARNING, Outcome.WAIVED))
    counted = [
        f"{run.count(o)} {said(o)}"
        for o in (Outcome.FAILED, Outcome.ERROR, Outcome.NOT_CHECKED)
        if run.count(o)
    ]
    proves = "the file" if mode is Mode.OFFLINE else "the plan"
    words = f"{passed} of {ran} passed" + (f" ({', '.join(counted)})" if counted else "")
    altered = conversion.altered.get(run.folder)
    return Apart(mode, run, f"{words}, proves {proves}, not a sign-off", altered)


def _when(run: Record) -> str:
    return run.started[:16].replace("T", " ") + " UTC"


# a conversion's page ---------------------------------------------------------------------------

_MODE_COLOURS: dict[str, str] = {
    Mode.OFFLINE: "#777777",
    Mode.REHEARSAL: "#b8860b",
    Mode.LIVE: "#337ab7",
}
_LIVE_COLOUR: dict[str, str] = {Mode.LIVE: "#337ab7"}
_LINKS = (
    (REPORT, "report"),
    (SIGNOFF, "sign-off"),
    (SUMMARY, "summary"),
    (JUNIT, "junit"),
    (MANIFEST, "manifest"),
)


@dataclass(frozen=True)
class RunRow:
    """One run in a conversion's list: its verdict, counts and files."""

    run: Record
    started: str
    verdict: Verdict
    shown_as: str  # "valid", "invalid" (a live run that cannot be signed) or "apart"
    reasons: str
    integrity: str
    counts: tuple[tuple[int, bool], ...]  # each column's count, and whether it alarms
    links: tuple[tuple[str, str], ...]
    approved: tuple[tuple[Role, Approval], ...]


def _run_rows(conversion: Conversion, runs: list[Record]) -> list[RunRow]:
    base = conversion.folder  # the page lies in the conversion's folder
    rows = []
    for run in newest_first(runs):
        verdict = _verdict(conversion, run)
        live = run.mode is Mode.LIVE
        rows.append(
            RunRow(
                run=run,
                started=run.started[:19].replace("T", " "),
                verdict=verdict,
                shown_as="valid" if verdict.valid else "invalid" if live else "apart",
                reasons=verdict.altered or "; ".join(run.validity.reasons),
                integrity="altered"
                if verdict.altered
                else "unverifiable"
                if run.manifest is None
                else "archived",
                counts=tuple(
                    (run.count(c), live and c in FAILING and run.count(c) > 0) for c in _COLUMNS
                ),
                links=tuple(
                    (run.link(name, base=base), label)
                    for name, label in _LINKS
                    if name != MANIFEST or run.manifest is not None
                ),
                approved=tuple(sorted(conversion.approved(run).items())),
            )
        )
    return rows


# the chart -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    fill: str
    title: str


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    coords: str  # the polyline's points
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class Chart:
    """The pass rate over time, laid out for templates/archive.html's chart macro: one dot per
    run at its date, one line per mode (or per series), a dated time axis, a 0-100% axis."""

    width: int
    height: int
    empty: str  # what to say when there is nothing to chart ("" otherwise)
    title: str = ""
    latest: str = ""
    left: int = 40
    right: int = 12
    top: int = 10
    plot_w: int = 0
    plot_h: int = 0
    grid: tuple[tuple[str, str], ...] = ()  # (y, label)
    ticks: tuple[tuple[str, str, str], ...] = ()  # (x, text-anchor, date)
    series: tuple[Series, ...] = ()


def chart(
    runs: Sequence[Record | Point],
    colours: Mapping[str, str],
    *,
    series_of: Any = None,
    width: int = 340,
    height: int = 130,
) -> str:
    """An inline SVG of the pass rate over time (see Chart)."""
    view = chart_view(runs, colours, series_of=series_of, width=width, height=height)
    return templates.render("chart.html", chart=view).strip()


def chart_view(
    runs: Sequence[Record | Point],
    colours: Mapping[str, str],
    *,
    series_of: Any = None,
    width: int = 340,
    height: int = 130,
) -> Chart:
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
        return Chart(width, height, f"No {what} yet: no pass rate to chart.")
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

    ticks = [first] if span == 0 else [first, first + (last - first) / 2, last]
    anchors = ["middle"] if span == 0 else ["start", "middle", "end"]
    stamp = "%Y-%m-%d" if span >= 2 * 86400 else "%m-%d %H:%M"  # runs within two days: times
    grouped: dict[str, list[tuple[datetime, float, Record | Point]]] = {}
    for point in points:
        name = series_of(point[2]) if series_of else point[2].mode
        grouped.setdefault(str(name), []).append(point)
    palette = ("#337ab7", "#8e44ad", "#16a085", "#777777")
    series = tuple(
        Series(
            name=name,
            colour=colours.get(name) or palette[index % len(palette)],
            coords=" ".join(f"{x(w):.1f},{y(r):.1f}" for w, r, _ in members),
            dots=tuple(
                Dot(
                    x(w),
                    y(r),
                    "#3c763d" if r == 1 else "#d9534f",
                    f"{run.started} {run.environment} {run.mode}: {r:.0%}",
                )
                for w, r, run in members
            ),
        )
        for index, (name, members) in enumerate(grouped.items())
    )
    return Chart(
        width,
        height,
        "",
        title=(
            f"pass rate over {len(points)} run(s), {first.strftime('%Y-%m-%d')} to "
            f"{last.strftime('%Y-%m-%d')}; latest {points[-1][1]:.0%}"
        ),
        latest=f"{points[-1][1]:.0%}",
        left=left,
        right=right,
        top=top,
        plot_w=plot_w,
        plot_h=plot_h,
        grid=tuple((f"{y(r):.1f}", f"{r:.0%}") for r in (0.0, 0.5, 1.0)),
        ticks=tuple(
            (f"{x(t):.1f}", where, t.astimezone(UTC).strftime(stamp))
            for t, where in zip(ticks, anchors, strict=True)
        ),
        series=series,
    )
