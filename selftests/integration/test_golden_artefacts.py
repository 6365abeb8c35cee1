"""What a run archives and prints is what it was before the code moved: the offline run of every
bundled biller and the demo's sandbox rehearsals (healthy and with a fault), compared field by
field with selftests/golden/ (timestamps, ports, paths and durations aside).

A change that means to alter what a PM reads regenerates the snapshots
(`python -m selftests.golden.snapshot`, inside `unshare -n`), and the diff shows what changed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from selftests.golden.snapshot import RUNS, capture, path_of

pytestmark = pytest.mark.linux_only


def differences(expected: Any, found: Any, at: str = "") -> list[str]:
    """Where two snapshots differ, as paths into them."""
    if isinstance(expected, dict) and isinstance(found, dict):
        keys = sorted(set(expected) | set(found))
        return [d for k in keys for d in differences(expected.get(k), found.get(k), f"{at}/{k}")]
    if isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found):
        return [
            d
            for i, (e, f) in enumerate(zip(expected, found, strict=True))
            for d in differences(e, f, f"{at}[{i}]")
        ]
    return [] if expected == found else [f"{at}: expected {expected!r}, found {found!r}"]


@pytest.mark.parametrize(
    "name",
    # a live rehearsal looks at the portal in Chromium
    [
        pytest.param(n, marks=[pytest.mark.browser] if "live" in RUNS[n] else [])
        for n in sorted(RUNS)
    ],
)
def test_artefacts_match_the_golden_snapshot(name: str) -> None:
    golden = json.loads(path_of(name).read_text(encoding="utf-8"))
    found = capture(name, RUNS[name])
    assert differences(golden, json.loads(json.dumps(found))) == []
