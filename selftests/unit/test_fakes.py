"""The fake transport has the interface the checks use, and values sent as Transport sends them."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest
import requests

from conversion_qa.clients.http import HttpOptions
from conversion_qa.config.model import SettingValue
from selftests.unit.builders import OFFLINE_SECRET, Transport, secret
from selftests.unit.fakes import FakeTransport, Reply


@pytest.mark.parametrize("method", ["send", "value"])
def test_the_fake_has_the_same_signature_as_transport(method: str) -> None:
    assert inspect.signature(getattr(FakeTransport, method)) == inspect.signature(
        getattr(Transport, method)
    )


def test_transport_has_the_attributes_the_fake_offers() -> None:
    fields = {f.name for f in dataclasses.fields(Transport)}
    assert {"live", "exchanges"} <= fields


@pytest.mark.parametrize("live", [False, True], ids=["offline", "live"])
@pytest.mark.parametrize(
    "setting",
    [None, "0417", secret("${X}", X="s3cret-value")],
    ids=["nothing", "text", "secret"],
)
def test_the_fake_sends_a_value_as_transport_does(live: bool, setting: SettingValue | None) -> None:
    with requests.Session() as session:  # never used to send: value() does no I/O
        real = Transport(session, HttpOptions(), live, Path("unused.http.yaml"))
        assert FakeTransport({}, live=live).value(setting) == real.value(setting)


def test_the_fake_hides_a_secret_offline_and_reveals_it_live() -> None:
    value = secret("${X}", X="s3cret-value")
    assert FakeTransport({}, live=False).value(value) == OFFLINE_SECRET
    assert FakeTransport({}, live=True).value(value) == "s3cret-value"


def test_the_fake_answers_from_its_table_and_records_what_was_sent() -> None:
    fake = FakeTransport({("POST", "https://x.example.com/a"): Reply(201, {"ok": True})})
    exchange = fake.send("POST", "https://x.example.com/a", json_body={"n": 1})
    assert (exchange.status, exchange.json(), exchange.request_body) == (
        201,
        {"ok": True},
        '{"n": 1}',
    )
    assert fake.bodies("https://x.example.com/a") == [{"n": 1}]
    assert fake.exchanges == [exchange]


def test_the_fake_refuses_a_request_it_has_no_answer_for() -> None:
    fake = FakeTransport({})
    with pytest.raises(
        AssertionError, match=re.escape("unexpected request GET https://x.example.com/b")
    ):
        fake.send("GET", "https://x.example.com/b")
