"""custom_code's expect: (visible text) and selector: (CSS), an iFrame's page:, and the markup
an expect: must not be: told when the file is loaded, with the selector to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversion_qa.config import load_biller
from conversion_qa.config.markup import markup_in, scanned
from conversion_qa.errors import BillerFileError
from selftests.helpers import demo_data, write_biller


@pytest.mark.parametrize(
    ("expect", "selector"),
    [
        ('data-demo="budget-banner"', '[data-demo="budget-banner"]'),
        ('id="semco-gas-leak-notice"', "#semco-gas-leak-notice"),
        ("class='banner wide'", ".banner.wide"),
        ('data-atl="conservation" role="note"', '[data-atl="conservation"][role="note"]'),
        ('<div class="budget-banner">', "div.budget-banner"),
        ('<section id="notice" data-x="1">Notice</section>', 'section#notice[data-x="1"]'),
        ("<marquee>", "marquee"),
        ('id="1st"', '[id="1st"]'),
    ],
)
def test_markup_is_recognised_and_its_selector_named(expect: str, selector: str) -> None:
    found = markup_in(expect)
    assert found is not None
    assert found.selector == selector


@pytest.mark.parametrize(
    "expect",
    [
        "Budget billing",
        "Pay by 5 p.m. <= cut-off",
        "Save 10% = more for you",
        'Enter code "SAVE10" at checkout',
        "a < b > c",
    ],
)
def test_visible_text_is_not_markup(expect: str) -> None:
    assert markup_in(expect) is None


def test_a_comment_is_markup_without_a_selector() -> None:
    found = markup_in("<!-- Budget billing -->")
    assert found is not None
    assert found.selector is None


@pytest.mark.parametrize(
    "text",
    [
        "<b" + " " * 8_000,  # took 7 minutes with the backtracking pattern
        "<b" + " " * 16_000,
        "<a " * 5_000,
        "<" * 10_000,
        "</a " * 3_000,
        "<a x=" * 3_000,
        "<a " + 'x="' * 3_000 + ">",
        'a="1" ' * 3_000,
        "<!-" * 3_000,
        " " * 10_000,
    ],
    ids=lambda text: f"{text[:6]!r}x{len(text)}",
)
def test_markup_detection_looks_at_each_character_a_few_times_only(text: str) -> None:
    # counted, not timed: the scanner's work grows with the text's length and no faster
    assert scanned(text).steps <= 6 * len(text) + 10


def load_with(biller_dir: Path, item: dict[str, str]) -> Path:
    data = demo_data()
    data["custom_code"] = [{"id": "budget-billing-banner", "page": "/Home", **item}]
    return write_biller(biller_dir, data)


def test_an_expect_that_is_markup_stops_the_load_naming_the_line_and_the_selector(
    tmp_path: Path,
) -> None:
    path = load_with(tmp_path, {"expect": 'data-demo="budget-banner"'})
    with pytest.raises(BillerFileError) as error:
        load_biller(path)
    message = str(error.value)
    assert error.value.field == "custom_code[0].expect"
    assert error.value.line is not None
    assert "is markup (an attribute)" in message
    assert "markup is never shown: it could never be found" in message
    assert "write selector: '[data-demo=\"budget-banner\"]' instead of expect:" in message


def test_a_commented_expect_is_told_to_be_visible_text(tmp_path: Path) -> None:
    path = load_with(tmp_path, {"expect": "<!-- Budget billing -->"})
    with pytest.raises(BillerFileError, match="write the visible text, or selector:"):
        load_biller(path)


def test_an_item_needs_expect_or_selector_not_both(tmp_path: Path) -> None:
    with pytest.raises(BillerFileError, match=r"needs expect: .* or selector: "):
        load_biller(load_with(tmp_path, {}))
    both = {"expect": "Budget billing", "selector": "#banner"}
    with pytest.raises(BillerFileError, match="is given with expect: too") as error:
        load_biller(load_with(tmp_path, both))
    assert error.value.field == "custom_code[0].selector"


def test_selector_and_page_are_read_into_the_model(tmp_path: Path) -> None:
    data = demo_data()
    data["capricorn_iframes"] = [
        {"name": "bill-view", "page": "/Billing", "path": "/Capricorn/BillView", "max_seconds": 3},
        {"name": "alone", "path": "/Capricorn/Alone", "max_seconds": 1},
    ]
    biller = load_biller(write_biller(tmp_path, data))
    assert biller.custom_code[0].selector == '[data-demo="budget-banner"]'
    assert biller.custom_code[0].expect is None
    assert biller.custom_code[1].expect == "Go paperless"
    assert [f.page for f in biller.capricorn_iframes] == ["/Billing", None]


def test_the_bundled_billers_use_selectors_for_elements() -> None:
    from selftests.helpers import REPO

    for path in sorted((REPO / "billers").glob("*.yaml")):
        for code in load_biller(path).custom_code:
            assert code.expect is None or markup_in(code.expect) is None, (path, code)
