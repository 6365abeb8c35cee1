"""Moments as the pages show them: in the conversion's own time zone (its maintenance window's
UTC offset, as the biller file gives it), to the second, the zone named."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from conversion_qa.report.results import Summary


def zone_of(summary: Summary) -> tzinfo:
    """The window's time zone, or UTC when the file gives no window."""
    start = summary.plan.window_start
    return (start.tzinfo if start else None) or UTC


def shown(moment: datetime, zone: tzinfo) -> str:
    """`2026-12-03 10:20:59 (UTC-05:00)`; `(UTC)` at offset zero."""
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    named = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{local.strftime('%Y-%m-%d %H:%M:%S')} ({named})"
