"""Find, read and validate biller files into the model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from conversion_qa.config.markup import Markup, markup_in, yaml_single_quoted
from conversion_qa.config.model import (
    Biller,
    Contact,
    Conversion,
    CustomCode,
    Environment,
    Iframe,
    Itg,
    MaintenanceWindow,
    SettingValue,
    SnsContacts,
    TenderType,
    Waiver,
    Weekend,
)
from conversion_qa.config.schema import schema_mistakes
from conversion_qa.config.secrets import Secret, has_reference, remember_credentials
from conversion_qa.config.yaml_source import FieldPath, YamlDocument, dotted, read_yaml
from conversion_qa.errors import (
    AmbiguousURL,
    BillerFileError,
    Mistake,
    UnknownBillerError,
    UnsendableURL,
)
from conversion_qa.target import ambiguity, as_sent, looks_like_url, path_ambiguity

WAIVER_DAYS = 366  # a waiver may last a year at most (a leap year's 366 days)


def available_billers(folder: Path) -> list[str]:
    """Biller names in the folder, sorted."""
    return sorted(path.stem for path in folder.glob("*.yaml"))


@dataclass(frozen=True)
class Loaded:
    """The billers of a run that could be loaded, and the files that could not (by name)."""

    billers: tuple[Biller, ...]
    broken: tuple[BillerFileError, ...] = ()


def load_billers(
    folder: Path,
    names: Iterable[str] | None = None,
    *,
    validated: bool = False,
    today: date | None = None,
) -> list[Biller]:
    """Load the named billers (all when names is None), in sorted order; the first broken file
    raises its BillerFileError."""
    loaded = load_each(folder, names, validated=validated, today=today)
    if loaded.broken:
        raise loaded.broken[0]
    return list(loaded.billers)


def load_each(
    folder: Path,
    names: Iterable[str] | None = None,
    *,
    validated: bool = False,
    today: date | None = None,
    known_broken: Iterable[str] = (),
) -> Loaded:
    """Load the named billers (all when names is None), in sorted order, each on its own: a
    broken file is kept as its error and the others load. An unknown name raises at once.

    `validated`: the files were validated against the schema already (by the xdist
    controller), and `known_broken` names those it found broken, which are not read again.
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
    skipped = set(known_broken)
    billers: list[Biller] = []
    broken: list[BillerFileError] = []
    for name in wanted:
        if name in skipped:
            continue
        try:
            billers.append(load_biller(folder / f"{name}.yaml", validated=validated, today=today))
        except BillerFileError as error:
            broken.append(error)
    return Loaded(tuple(billers), tuple(broken))


def load_biller(path: Path, *, validated: bool = False, today: date | None = None) -> Biller:
    """Read, validate and build one biller file; a BillerFileError lists every mistake in it,
    by line. `today` (the run's date) judges the waivers' expiry."""
    document = read_yaml(path)
    found = list(document.mistakes)
    if not validated:
        found += schema_mistakes(document)
    found += _Meaning(document, today or date.today(), {m.field for m in found}).mistakes()
    if found:
        raise BillerFileError(*found)
    return _Builder(document).biller()


class _Meaning:
    """What the schema cannot say: the biller's name, custom code items, waivers' expiry.
    A part the schema or the YAML already found wrong is not judged again."""

    def __init__(self, document: YamlDocument, today: date, wrong: set[str]) -> None:
        self.document = document
        self.data = document.data
        self.today = today
        self.wrong = wrong

    def _is_wrong(self, at: FieldPath) -> bool:
        field = dotted(at)
        return any(w == field or w.startswith((f"{field}.", f"{field}[")) for w in self.wrong)

    def mistakes(self) -> list[Mistake]:
        found: list[Mistake] = []
        name = self.data.get("biller")
        stem = self.document.path.stem
        if isinstance(name, str) and name != stem and not self._is_wrong(("biller",)):
            found.append(
                self.document.mistake(
                    ("biller",),
                    f"is {name!r} but the file is named {self.document.path.name}; they must agree",
                )
            )
        found += self._each("custom_code", self._custom_code)
        found += self._each("waivers", self._waiver)
        found += self._ambiguous_urls()
        found += self._ambiguous_paths()
        return found

    def _ambiguous_urls(self) -> list[Mistake]:
        """A URL whose host two readers could read differently, on its line: the portal, the
        endpoints, and every Advanced Setting written as a URL (a `${VAR}` is judged where its
        value is used)."""
        found = []
        environments = self.data.get("environments")
        for name, data in (environments if isinstance(environments, dict) else {}).items():
            if not isinstance(data, dict):
                continue
            at: FieldPath = ("environments", name)
            named: list[tuple[FieldPath, Any]] = [((*at, "portal"), data.get("portal"))]
            for group in ("endpoints", "advanced_settings"):
                values = data.get(group)
                if isinstance(values, dict):
                    named += [((*at, group, k), v) for k, v in values.items()]
            for field, value in named:
                if not isinstance(value, str) or not looks_like_url(value):
                    continue
                problem = None if has_reference(value) else ambiguity(value)
                if problem is not None and not self._is_wrong(field):
                    found.append(self.document.mistake(field, _ambiguous_problem(value, problem)))
        return found

    def _ambiguous_paths(self) -> list[Mistake]:
        """A page or iFrame path that could change the portal URL's host once joined; an
        iFrame's own URL that is not https, or that readers could send to different hosts."""
        found = []
        for group, keys in (("custom_code", ("page",)), ("capricorn_iframes", ("page", "path"))):
            items = self.data.get(group)
            for index, item in enumerate(items if isinstance(items, list) else []):
                for key in keys:
                    value = item.get(key) if isinstance(item, dict) else None
                    if key == "path" and isinstance(value, str) and not value.startswith("/"):
                        found += self._iframe_url((group, index, key), value)
                        continue
                    problem = path_ambiguity(value) if isinstance(value, str) else None
                    if problem is not None and not self._is_wrong((group, index, key)):
                        found.append(
                            self.document.mistake(
                                (group, index, key),
                                f"{value!r} {problem}, so the portal URL it makes could be "
                                "read as another host: write the path without it",
                            )
                        )
        return found

    def _iframe_url(self, field: FieldPath, url: str) -> list[Mistake]:
        """An iFrame on a host of its own: an https URL every reader sends to the same host."""
        if self._is_wrong(field):
            return []
        if url.lower().startswith("http://"):
            problem = (
                f"{url!r} is plain http://: the portal's pages are https, and a browser does not "
                "load an http iFrame into an https page (nor does the suite's browser load "
                "http at all), so customers would see an empty frame; write the iFrame's "
                "https:// URL"
            )
            return [self.document.mistake(field, problem)]
        try:
            as_sent(url)
        except AmbiguousURL as error:
            return [self.document.mistake(field, _ambiguous_problem(url, error.problem))]
        except UnsendableURL as error:
            problem = f"{url!r} {error.problem}; write the iFrame's URL as https://host/path"
            return [self.document.mistake(field, problem)]
        return []

    def _each(
        self, key: str, check: Callable[[FieldPath, Mapping[str, Any]], Mistake | None]
    ) -> list[Mistake]:
        items = self.data.get(key)
        if not isinstance(items, list):
            return []
        found = []
        for index, item in enumerate(items):
            at: FieldPath = (key, index)
            if isinstance(item, dict) and not self._is_wrong(at):
                mistake = check(at, item)
                if mistake is not None:
                    found.append(mistake)
        return found

    def _custom_code(self, at: FieldPath, item: Mapping[str, Any]) -> Mistake | None:
        """Exactly one of expect (visible text) or selector (CSS); an expect that is markup is
        refused with the selector to write instead."""
        expect, selector = item.get("expect"), item.get("selector")
        if expect is None and selector is None:
            return self.document.mistake(
                at,
                "needs expect: (text the page shows) or selector: (a CSS selector of an element "
                "that shows)",
            )
        if expect is not None and selector is not None:
            return self.document.mistake(
                (*at, "selector"),
                "is given with expect: too; write one of them (expect: for visible text, "
                "selector: for an element)",
            )
        if expect is not None:
            found = markup_in(expect)
            if found is not None:
                return self.document.mistake((*at, "expect"), _markup_problem(expect, found))
        return None

    def _waiver(self, at: FieldPath, item: Mapping[str, Any]) -> Mistake | None:
        """A waiver lasts a year at most: an exception accepted for longer is no exception."""
        expires = date.fromisoformat(item["expires"])
        latest = self.today + timedelta(days=WAIVER_DAYS)
        if expires <= latest:
            return None
        return self.document.mistake(
            (*at, "expires"),
            f"is {expires}, more than a year after today ({self.today}); a waiver may last a "
            f"year at most: set an expiry on or before {latest}, and renew the waiver then, "
            "with its justification, if it is still needed",
        )


class _Builder:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document

    def biller(self) -> Biller:
        data = self.document.data
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
            sns_contacts=_sns_contacts(data.get("sns_contacts") or {}),
        )

    def _custom_code(self, index: int, item: Mapping[str, Any]) -> CustomCode:
        return CustomCode(
            id=item["id"],
            page=item["page"],
            expect=item.get("expect"),
            selector=item.get("selector"),
        )

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


def _sns_contacts(data: Mapping[str, Any]) -> SnsContacts:
    return SnsContacts(
        project_manager=_contact(data.get("project_manager")),
        technical=_contact(data.get("technical")),
    )


def _contact(data: Mapping[str, str | None] | None) -> Contact | None:
    if data is None:
        return None
    return Contact(name=data.get("name"), email=data.get("email"), phone=data.get("phone"))


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _datetime(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
