"""Find, read and validate biller files into the model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from conversion_qa.config.markup import Markup, markup_in, yaml_single_quoted
from conversion_qa.config.model import (
    Biller,
    Conversion,
    CustomCode,
    Environment,
    Iframe,
    Itg,
    MaintenanceWindow,
    SettingValue,
    TenderType,
    Waiver,
    Weekend,
)
from conversion_qa.config.schema import validate
from conversion_qa.config.secrets import Secret, has_reference, remember_credentials
from conversion_qa.config.yaml_source import FieldPath, YamlDocument, dotted, read_yaml
from conversion_qa.errors import UnknownBillerError
from conversion_qa.target import ambiguity, looks_like_url, path_ambiguity


def available_billers(folder: Path) -> list[str]:
    """Biller names in the folder, sorted."""
    return sorted(path.stem for path in folder.glob("*.yaml"))


def load_billers(
    folder: Path, names: Iterable[str] | None = None, *, validated: bool = False
) -> list[Biller]:
    """Load the named billers (all when names is None), in sorted order.

    `validated`: the files were validated against the schema already (by the xdist controller).
    """
    available = available_billers(folder)
    wanted = available if names is None else sorted(set(names))
    unknown = [name for name in wanted if name not in available]
    if unknown:
        listing = ", ".join(available) or "none"
        raise UnknownBillerError(
            f"no biller file for {', '.join(unknown)} in {folder}/ (available: {listing}); "
            f"add {folder}/{unknown[0]}.yaml or pick one of those"
        )
    return [load_biller(folder / f"{name}.yaml", validated=validated) for name in wanted]


def load_biller(path: Path, *, validated: bool = False) -> Biller:
    """Read, validate and build one biller file; raises BillerFileError."""
    document = read_yaml(path)
    if not validated:
        validate(document)
    data = document.data
    if data["biller"] != path.stem:
        raise document.error(
            ("biller",),
            f"is {data['biller']!r} but the file is named {path.name}; they must agree",
        )
    return _Builder(document).biller()


class _Builder:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document

    def biller(self) -> Biller:
        data = self.document.data
        self._refuse_ambiguous_paths(data)
        return Biller(
            id=data["biller"],
            name=data["name"],
            multi_user=data["multi_user"],
            conversion=self._conversion(data["conversion"]),
            tender_types=tuple(
                TenderType(method=t["method"], code=t.get("code"))
                for t in data.get("tender_types", [])
            ),
            environments={
                name: self._environment(name, env)
                for name, env in (data.get("environments") or {}).items()
            },
            custom_code=tuple(
                self._custom_code(index, item)
                for index, item in enumerate(data.get("custom_code", []))
            ),
            capricorn_iframes=tuple(
                Iframe(
                    name=i["name"],
                    path=i["path"],
                    max_seconds=float(i["max_seconds"]),
                    page=i.get("page"),
                )
                for i in data.get("capricorn_iframes", [])
            ),
            waivers=tuple(
                Waiver(
                    rule=w["rule"],
                    item=w.get("item"),
                    justification=w["justification"],
                    expires=date.fromisoformat(w["expires"]),
                    line=self.document.line_of(("waivers", i)),
                )
                for i, w in enumerate(data.get("waivers", []))
            ),
            path=self.document.path,
            lines=self.document.lines,
        )

    def _custom_code(self, index: int, item: Mapping[str, Any]) -> CustomCode:
        """One custom code item: expect (visible text) or selector (CSS), exactly one; an expect
        that is markup is refused with the selector to write instead."""
        at: FieldPath = ("custom_code", index)
        expect, selector = item.get("expect"), item.get("selector")
        if expect is None and selector is None:
            raise self.document.error(
                at,
                "needs expect: (text the page shows) or selector: (a CSS selector of an element "
                "that shows)",
            )
        if expect is not None and selector is not None:
            raise self.document.error(
                (*at, "selector"),
                "is given with expect: too; write one of them (expect: for visible text, "
                "selector: for an element)",
            )
        if expect is not None:
            found = markup_in(expect)
            if found is not None:
                raise self.document.error((*at, "expect"), _markup_problem(expect, found))
        return CustomCode(id=item["id"], page=item["page"], expect=expect, selector=selector)

    def _conversion(self, data: Mapping[str, Any]) -> Conversion:
        itg = data.get("itg") or {}
        window = data.get("maintenance_window") or {}
        weekend = data.get("weekend") or {}
        return Conversion(
            id=data["id"],
            itg=Itg(ticket=itg.get("ticket") or None, submitted=_date(itg.get("submitted"))),
            maintenance_window=MaintenanceWindow(
                batch_close=time.fromisoformat(window["batch_close"])
                if "batch_close" in window
                else None,
                start=_datetime(window.get("start")),
                end=_datetime(window.get("end")),
            ),
            weekend=Weekend(
                ic_it_manual_test=_date(weekend.get("ic_it_manual_test")),
                sns_changes=_date(weekend.get("sns_changes")),
                biller_testing=_date(weekend.get("biller_testing")),
            ),
        )

    def _environment(self, name: str, data: Mapping[str, Any] | None) -> Environment:
        data = data or {}
        at: FieldPath = ("environments", name)
        self._refuse_ambiguous_urls(at, data)
        return Environment(
            name=name,
            declared=True,
            portal=data.get("portal"),
            endpoints=dict(data.get("endpoints") or {}),
            advanced_settings={
                number: self._value(value, (*at, "advanced_settings", number))
                for number, value in (data.get("advanced_settings") or {}).items()
            },
            options=dict(data.get("options") or {}),
            test_accounts=tuple(data.get("test_accounts") or ()),
            credentials=self._credentials((*at, "credentials"), data.get("credentials") or {}),
        )

    def _refuse_ambiguous_paths(self, data: Mapping[str, Any]) -> None:
        """Refuse a page or iFrame path that could change the portal URL's host once joined."""
        for group, keys in (("custom_code", ("page",)), ("capricorn_iframes", ("page", "path"))):
            for index, item in enumerate(data.get(group) or []):
                for key in keys:
                    value = item.get(key)
                    problem = path_ambiguity(value) if isinstance(value, str) else None
                    if problem is not None:
                        raise self.document.error(
                            (group, index, key),
                            f"{value!r} {problem}, so the portal URL it makes could be read "
                            "as another host: write the path without it",
                        )

    def _refuse_ambiguous_urls(self, at: FieldPath, data: Mapping[str, Any]) -> None:
        """Refuse, on its line, a URL whose host two readers could read differently: the
        portal, the endpoints, and every Advanced Setting written as a URL (a `${VAR}` is
        judged where its value is used)."""
        named: list[tuple[FieldPath, Any]] = [((*at, "portal"), data.get("portal"))]
        for group in ("endpoints", "advanced_settings"):
            named += [((*at, group, k), v) for k, v in (data.get(group) or {}).items()]
        for field, value in named:
            if not isinstance(value, str) or not looks_like_url(value) or has_reference(value):
                continue
            problem = ambiguity(value)
            if problem is not None:
                raise self.document.error(field, _ambiguous_problem(value, problem))

    def _credentials(self, at: FieldPath, data: Mapping[str, str | None]) -> dict[str, Secret]:
        """Every credential is a secret, whatever its name and however it is written: a plain
        value is never shown, and is scrubbed like a `${VAR}` one."""
        credentials = {
            key: self._secret(value, (*at, key), conceal=True)
            for key, value in data.items()
            if value is not None
        }
        user, password = credentials.get("username"), credentials.get("password")
        if user is not None and password is not None and user.is_set and password.is_set:
            remember_credentials(user.reveal(), password.reveal())  # their HTTP Basic header
        return credentials

    def _value(self, value: str | None, at: FieldPath) -> SettingValue | None:
        if value is not None and has_reference(value):
            return self._secret(value, at)
        return value

    def _secret(self, value: str, at: FieldPath, *, conceal: bool = False) -> Secret:
        line = self.document.line_of(at)
        return Secret(value, f"{self.document.path}:{line} {dotted(at)}", conceal=conceal)


def _ambiguous_problem(written: str, problem: str) -> str:
    return (
        f"{written!r} {problem}. A URL that one reader takes to one host and another reader to "
        "another is never used (a guard could judge one host while the request went to the "
        "other): write it as a plain https://host/path"
    )


def _markup_problem(expect: str, found: Markup) -> str:
    """Why an expect that is markup can never pass, and what to write instead."""
    problem = (
        f"{expect!r} is markup ({found.kind}), but expect: is text the page shows a signed-in "
        "customer, as a browser renders it, and markup is never shown: it could never be found"
    )
    if found.selector is None:
        return f"{problem}; write the visible text, or selector: with a CSS selector"
    selector = yaml_single_quoted(found.selector)
    return f"{problem}; to find the element, write selector: {selector} instead of expect:"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _datetime(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
