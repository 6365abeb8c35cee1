"""Golden snapshots of what a run archives and prints, timestamps, paths and durations aside.

`python -m selftests.golden.snapshot` runs the bundled billers offline and the demo biller's
sandbox rehearsals (healthy and with a fault) and writes selftests/golden/*.json; the self-test
`test_golden_artefacts` makes the same runs and compares them field by field. A change that
alters what a PM reads regenerates the snapshot on purpose, and the diff shows what changed.
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

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent

# name -> the pytest arguments of the run
RUNS: dict[str, tuple[str, ...]] = {
    "offline-all": ("--biller=all",),
    "rehearsal-demo": ("--biller=demo", "-m", "live", "--sandbox"),
    "rehearsal-demo-rtdr-500": (
        "--biller=demo",
        "-m",
        "live",
        "--sandbox",
        "--sandbox-scenario=rtdr-500",
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


def _summary(folder: Path, report_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    data.pop("run", None)
    for test in data["tests"]:
        test.pop("duration", None)
        test["message"] = _plain(test["message"], report_dir)
        test["evidence"] = _plain(test.get("evidence", ""), report_dir)  # timings, as above
    for rule in data["rules"]:
        rule["reason"] = _plain(rule["reason"], report_dir)
    return data


def _junit(folder: Path, report_dir: Path) -> list[list[str]]:
    cases = []
    for case in ET.parse(folder / "junit.xml").getroot().iter("testcase"):
        row = [case.get("classname", ""), case.get("name", "")]
        for child in case:
            if child.tag == "properties":
                continue
            row += [child.tag, _plain(child.get("message", ""), report_dir)]
            row.append(_plain(child.text or "", report_dir))
        cases.append(row)
    return cases


def _report_rows(folder: Path, report_dir: Path) -> dict[str, Any]:
    text = (folder / "report.html").read_text(encoding="utf-8")
    match = re.search(r'data-jsonblob="([^"]*)"', text)
    assert match, f"{folder}/report.html has no pytest-html data"
    blob = json.loads(html.unescape(match[1]))
    rows = {
        nodeid: [
            [
                _plain(cell, report_dir)
                for cell in row["resultsTableRow"]
                if "col-duration" not in cell
            ]
            for row in phases
        ]
        for nodeid, phases in blob["tests"].items()
    }
    header = {
        k: v
        for k, v in blob["environment"].items()
        if k not in {"Run by", "Started (UTC)", "Finished (UTC)", "Commit", "Python", "pytest"}
    }
    return {"title": blob["title"], "header": header, "rows": rows}


_SEPARATOR = re.compile(r"^=+ (.*?) =+$")


def _console(stdout: str, report_dir: Path) -> list[str]:
    """The console from the first summary section on: failures, waivers, warnings, counts."""
    lines = stdout.splitlines()
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"^=+ (FAILURES|warned|waived|short)", line)
        ),
        max(len(lines) - 1, 0),
    )
    # a separator's padding follows the width of the time it holds: kept as one "=" each side
    kept = [_SEPARATOR.sub(r"= \1 =", _plain(line, report_dir)) for line in lines[start:]]
    return [line for line in kept if not line.startswith("conversion-qa: archived")]


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
                "summary": _summary(folder, report_dir),
                "junit": _junit(folder, report_dir),
                "report": _report_rows(folder, report_dir),
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
