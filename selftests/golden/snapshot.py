"""Golden snapshots of a run's structure: each test's outcome, validity, the rows present.

Wording is tested where it is made (unit self-tests); what is kept here is what a move of code
must not change: which tests ran with which outcome, in which artefact, under which verdict.

`python -m selftests.golden.snapshot` runs the bundled billers offline and the demo biller's
sandbox rehearsals (healthy and with a fault) and writes selftests/golden/*.json; the self-test
`test_golden_artefacts` makes the same runs and compares them field by field. A change that
alters a run's structure regenerates the snapshot on purpose, and the diff shows what changed.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from selftests.reporting import report_rows

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent

# name -> the pytest arguments of the run
# (signoff.pdf is left out: the snapshot does not look at it, and printing it starts a browser)
RUNS: dict[str, tuple[str, ...]] = {
    "offline-all": ("--biller=all", "--no-pdf"),
    "rehearsal-demo": ("--biller=demo", "-m", "live", "--sandbox", "--no-pdf"),
    "rehearsal-demo-rtdr-500": (
        "--biller=demo",
        "-m",
        "live",
        "--sandbox",
        "--sandbox-scenario=rtdr-500",
        "--no-pdf",
    ),
}

_TIMING = re.compile(r"\b\d+(\.\d+)? ?(s|ms)\b|in \d+\.\d+s")
_STAMP = re.compile(r"\d{8}T\d{6}Z")
_ADDRESS = re.compile(r"127\.0\.0\.1:\d+")


def _plain(text: str, report_dir: Path) -> str:
    """Text with what differs between two identical runs replaced: times, ports, temp paths."""
    text = text.replace(str(report_dir), "<reports>").replace(str(REPO), "<repo>")
    text = re.sub(r"/tmp/[^\s'\")]+", "<tmp>", text)
    text = _ADDRESS.sub("127.0.0.1:<port>", text)
    text = _STAMP.sub("<stamp>", text)
    return _TIMING.sub("<time>", text)


def _summary(folder: Path) -> dict[str, Any]:
    """The run's verdicts: validity and its reasons, the counts, each test's and rule's outcome."""
    data: dict[str, Any] = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return {
        "biller": data["biller"]["id"],
        "conversion": data["conversion"],
        "environment": data["environment"],
        "mode": data["mode"],
        "signoff": data["signoff"],
        "counts": data["counts"],
        "tests": {t["nodeid"]: t["outcome"] for t in data["tests"]},
        "rules": {r["id"]: [r["status"], r["applies"], r["tests"]] for r in data["rules"]},
        "waivers": data["waivers"],
        "without_browser": data["without_browser"],
    }


def _junit(folder: Path) -> dict[str, str]:
    """Each JUnit case with the element that carries its outcome (none when it passed)."""
    cases = {}
    for case in ET.parse(folder / "junit.xml").getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag != "properties"]
        cases[f"{case.get('classname', '')}::{case.get('name', '')}"] = " ".join(kinds)
    return cases


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_FACT = re.compile(r"<dt>(.*?)</dt>")


def _report_rows(folder: Path) -> dict[str, Any]:
    """report.html's rows present in page order, each with the outcome it shows, and its header's
    fields."""
    text = (folder / "report.html").read_text(encoding="utf-8")
    title = _TITLE.search(text)
    assert title, f"{folder}/report.html has no title"
    rows = [[nodeid, row.outcome] for nodeid, row in report_rows(folder).items()]
    return {"title": html.unescape(title[1]), "header": sorted(_FACT.findall(text)), "rows": rows}


_SEPARATOR = re.compile(r"^=+ (.*?) =+$")


def _console(stdout: str, report_dir: Path) -> list[str]:
    """The console's section headings, in order: which kinds of result the run printed."""
    headings = (_SEPARATOR.match(line) for line in stdout.splitlines())
    return [_plain(h[1], report_dir) for h in headings if h]


def capture(name: str, args: tuple[str, ...]) -> dict[str, Any]:
    """Run the suite as a user would (its own process) and snapshot what it archived and said."""
    with tempfile.TemporaryDirectory(prefix="golden-") as temporary:
        report_dir = Path(temporary) / "reports"
        # pytest words its console by these (CI: untruncated summary lines; the width)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PYTEST_") and k not in {"CI", "BUILD_NUMBER", "COLUMNS"}
        }
        env["COLUMNS"] = "80"
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                f"--report-dir={report_dir}",
                *args,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=600,
        )
        folders = sorted(p.parent for p in report_dir.glob("*/*/*/summary.json"))
        archived = {}
        for folder in folders:
            key = (
                "/".join(folder.relative_to(report_dir).parts[:2])
                + "/"
                + _STAMP.sub("<stamp>", folder.name)
            )
            archived[key] = {
                "summary": _summary(folder),
                "junit": _junit(folder),
                "report": _report_rows(folder),
            }
        return {
            "run": name,
            "args": list(args),
            "exit": process.returncode,
            "console": _console(process.stdout, report_dir),
            "archived": archived,
        }


def path_of(name: str) -> Path:
    return GOLDEN / f"{name}.json"


def main() -> int:
    for name, args in RUNS.items():
        snapshot = capture(name, args)
        path_of(name).write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n")
        print(f"{path_of(name)}: exit {snapshot['exit']}, {len(snapshot['archived'])} folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
