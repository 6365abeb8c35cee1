"""A browser check's screenshots, attached to its test's report as embedded pytest-html extras."""

from __future__ import annotations

import pytest

from conversion_qa.recordings import PortalViews
from conversion_qa.report.screenshots import extra

VIEWS = pytest.StashKey[PortalViews]()


def keep(item: pytest.Item, views: PortalViews) -> None:
    """Remember the test's way to the portal, whose screenshots its report will carry."""
    item.stash[VIEWS] = views


def attach(item: pytest.Item, report: pytest.TestReport) -> None:
    """Put what the browser showed on the test's row: one image per look, passed or failed."""
    views = item.stash.get(VIEWS, None)
    if report.when != "call" or views is None or not views.screenshots:
        return
    shown = [extra(shot.name, shot.png) for shot in views.screenshots]
    report.extras = [*getattr(report, "extras", []), *shown]  # type: ignore[attr-defined]
