"""A Capricorn iFrame served from a host of its own: its full https URL in the biller file
(http:// and ambiguous URLs refused on their line, every one at once), its host an item of
public-dns and endpoint-tls, and the sandbox serving it under its own name."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conversion_qa.clients.browser import _frame_at
from conversion_qa.config import load_biller
from conversion_qa.errors import BillerFileError
from conversion_qa.rules import hosts
from conversion_qa.sandbox.server import Sandbox
from selftests.helpers import demo_data, write_biller

PORTAL = "https://demo-test.portal.example.com"
OWN_HOST = "capricorn-test.example.com"
OWN_URL = f"https://{OWN_HOST}/Capricorn/BillView"


def with_frames(biller_dir: Path, *paths: str) -> Path:
    """The demo biller with an iFrame at each path, each inside /Billing."""
    data: dict[str, Any] = demo_data()
    data["capricorn_iframes"] = [
        {"name": f"frame-{index}", "page": "/Billing", "path": path, "max_seconds": 3.0}
        for index, path in enumerate(paths)
    ]
    return write_biller(biller_dir, data)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def refusal(path: Path) -> str:
    with pytest.raises(BillerFileError) as refused:
        load_biller(path)
    return str(refused.value)


def test_an_iframe_on_a_host_of_its_own_is_its_full_url(tmp_path: Path) -> None:
    biller = load_biller(with_frames(tmp_path, OWN_URL, "/Capricorn/Statement"))
    own, on_portal = biller.capricorn_iframes
    assert (own.has_own_host, own.url(PORTAL + "/")) == (True, OWN_URL)
    assert (on_portal.has_own_host, on_portal.url(PORTAL + "/")) == (
        False,
        f"{PORTAL}/Capricorn/Statement",
    )


def test_a_plain_http_iframe_is_refused_on_its_line_saying_why(tmp_path: Path) -> None:
    path = with_frames(tmp_path, f"http://{OWN_HOST}/Capricorn/BillView")
    said = refusal(path)
    line = line_of(path, "http://")
    assert f"demo.yaml:{line}: field 'capricorn_iframes[0].path'" in said
    assert "is plain http://: the portal's pages are https" in said
    assert "write the iFrame's https:// URL" in said


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"https://evil.example\\@{OWN_HOST}/BillView", "has a backslash (\\) before its path"),
        (f"https://evil.example@{OWN_HOST}/BillView", "names a user before its host"),
        ("https://capricorn%2eexample.com/BillView", "has percent-encoding (%) in its host"),
        ("https://0x7f.1/BillView", "which a resolver reads as an IPv4 address"),
        ("https:///BillView", "No host supplied"),
    ],
    ids=["backslash-at", "userinfo", "encoded-host", "hex-ipv4", "no-host"],
)
def test_an_iframe_url_two_readers_could_send_apart_is_refused_naming_the_field(
    tmp_path: Path, url: str, problem: str
) -> None:
    path = with_frames(tmp_path, url)
    said = refusal(path)
    assert f"demo.yaml:{line_of(path, 'path: ')}: field 'capricorn_iframes[0].path'" in said
    assert problem in said


def test_every_wrong_iframe_url_is_told_at_once(tmp_path: Path) -> None:
    path = with_frames(
        tmp_path, f"http://{OWN_HOST}/A", OWN_URL, f"https://x\\@{OWN_HOST}/B", "ftp://x/C"
    )
    said = refusal(path)
    assert "'capricorn_iframes[0].path' 'http://" in said
    assert "'capricorn_iframes[1].path'" not in said
    assert "'capricorn_iframes[2].path' 'https://x\\\\@" in said
    assert (  # the schema's words, for what is neither a path nor a URL
        "'capricorn_iframes[3].path' 'ftp://x/C' is not of the expected form; write it as "
        "path: /Capricorn/BillView (the iFrame's path on the portal, starting with /), or path: "
        "https://capricorn.example.com/BillView" in said
    )


def test_an_iframe_host_of_its_own_is_an_item_of_public_dns_and_endpoint_tls(
    tmp_path: Path,
) -> None:
    path = with_frames(tmp_path, f"https://{OWN_HOST}:8443/BillView", "/Capricorn/Statement")
    biller = load_biller(path)
    test = biller.environment("test")
    assert OWN_HOST in hosts.dns_hosts(biller, test)
    assert f"{OWN_HOST}:8443" in hosts.tls_endpoints(biller, test)
    assert hosts.where_used(biller, test, OWN_HOST) == (
        f"{path}:{line_of(path, OWN_HOST)} (capricorn_iframes[0].path)"
    )


def test_an_iframe_on_the_portal_adds_no_host(tmp_path: Path) -> None:
    on_portal = load_biller(with_frames(tmp_path, "/Capricorn/BillView"))
    assert hosts.dns_hosts(on_portal, on_portal.environment("test")) == [
        "demo-test.portal.example.com",
        "enquesta-test.demo.example.com",
    ]


def test_the_sandbox_serves_an_iframe_host_under_its_own_name(tmp_path: Path) -> None:
    biller = load_biller(with_frames(tmp_path, OWN_URL))
    sandbox = Sandbox.start([biller])
    try:
        assert (OWN_HOST, 443) in sandbox.address.hosts  # in its certificate and --resolve
        own = sandbox.answer("GET", OWN_HOST, "/Capricorn/BillView", {}, b"")
        portal_host = PORTAL.removeprefix("https://")
        on_portal = sandbox.answer("GET", portal_host, "/Capricorn/BillView", {}, b"")
    finally:
        sandbox.stop()
    assert (own.status, "Capricorn frame-0" in own.body) == (200, True)
    assert on_portal.status == 404  # the iFrame is on its own host only


@dataclass
class FakeFrame:
    url: str


@dataclass
class FakePage:
    frames: list[FakeFrame]
    main_frame: FakeFrame = field(default_factory=lambda: FakeFrame(PORTAL + "/Billing"))


class Started:
    """Where each frame's navigation started: here, its own URL."""

    def first(self, frame: FakeFrame) -> str:
        return frame.url


def timed(page: FakePage, frame_url: str) -> object:
    """The frame the iFrame check times for frame_url."""
    return _frame_at(page, frame_url, Started())  # type: ignore[arg-type]


def test_the_iframe_timed_is_the_one_on_the_declared_host_not_another_of_the_same_path() -> None:
    on_portal, own = FakeFrame(f"{PORTAL}/Capricorn/BillView"), FakeFrame(OWN_URL)
    page = FakePage([on_portal, own])
    page.frames.insert(0, page.main_frame)
    assert timed(page, OWN_URL) is own
    assert timed(page, f"{PORTAL}/Capricorn/BillView") is on_portal
