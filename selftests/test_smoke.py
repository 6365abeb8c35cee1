from pathlib import Path

from selftests.helpers import RunSuite, demo_data, write_biller


def test_demo_passes(run_suite: RunSuite, biller_dir: Path) -> None:
    write_biller(biller_dir, demo_data())
    result = run_suite()
    result.assert_outcomes(passed=24)
