"""Where the archive lives: a local folder (through the OS, whose rename, hard link and mkdir are
the atomic steps fsspec's local file system does not offer), or object storage
(`s3://bucket/prefix` for S3 and S3-compatible stores, `az://container/prefix` for Azure Blob)
through fsspec and its back ends (s3fs, adlfs). Every archive operation goes through a Store,
so a run is archived, listed, verified and approved the same way on a path and on a URL.

Credentials come from each cloud's standard chain only (environment, profile or config file,
managed identity; `AWS_ENDPOINT_URL` for an S3-compatible store): never from the URL, the biller
file or the command line. A store that cannot be reached or written raises StoreError, a sentence
that names the place (never a credential) and what to do.

Object stores have no rename and no folders: `create` writes an object only if its key is free
(a conditional write), so a name is never taken twice and nothing is ever overwritten; a local
folder gets the same from the file system (a hard link, an exclusive mkdir).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fsspec

from conversion_qa.config.secrets import scrub

SCHEMES = {"s3": "S3", "az": "Azure Blob"}
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)$")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".png": "image/png",
}
# what the cloud SDKs read credentials from: never shown in a message, whatever an error says
_CREDENTIAL_VARIABLES = (
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AZURE_STORAGE_ACCOUNT_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURE_STORAGE_CLIENT_SECRET",
    "AZURE_CLIENT_SECRET",
)
_SIGNED = re.compile(r"(?i)(sig|signature|accountkey|sharedaccesssignature|x-amz-[a-z-]+)=[^&;\s]+")


class StoreError(Exception):
    """The archive could not be reached, read or written; the message names where and the fix."""


class BadLocation(ValueError):
    """A --report-dir that is neither a folder nor a supported URL; the message says why."""


@dataclass(frozen=True)
class Location:
    """Where --report-dir points: an absolute local folder, or a URL of object storage."""

    text: str  # the absolute path, or the URL as given (which holds no credential)
    scheme: str = ""  # "" for a local folder, else a key of SCHEMES

    @property
    def is_local(self) -> bool:
        return not self.scheme

    def __str__(self) -> str:
        return self.text


def location(text: str, base: Path) -> Location:
    """--report-dir as a Location: a URL of a supported store, else a folder relative to base."""
    found = _URL.match(text)
    if found is None:
        return Location(str((base / text).resolve()))
    scheme, rest = found["scheme"].lower(), found["rest"]
    if scheme not in SCHEMES:
        raise BadLocation(
            f"--report-dir {text}: {scheme}:// is not a supported archive; give a folder, "
            "s3://bucket/prefix (S3 or an S3-compatible store) or az://container/prefix "
            "(Azure Blob)"
        )
    bucket = rest.split("/", 1)[0]
    if "@" in bucket or "?" in rest or "#" in rest:
        raise BadLocation(
            f"--report-dir: a URL of the archive takes no user, key or query (give "
            f"{scheme}://bucket/prefix): credentials come from the environment, the cloud's "
            "profile or a managed identity, never from the command line"
        )
    if not bucket:
        what = "container" if scheme == "az" else "bucket"
        raise BadLocation(
            f"--report-dir {text}: the URL names no {what} ({scheme}://{what}/prefix)"
        )
    return Location(f"{scheme}://{rest.rstrip('/')}", scheme)


@dataclass(frozen=True)
class Entry:
    """One thing directly inside a folder of the archive."""

    name: str
    is_folder: bool
    version: str  # changes whenever the file is rewritten (its etag, or size and time)


class Store:
    """The archive's root, local or remote: keys are paths relative to it, with "/"."""

    def __init__(self, where: Location, fs: Any, root: str) -> None:
        self.location = where
        self.fs = fs  # an fsspec file system; None for a local folder
        self.root = root.rstrip("/")

    @classmethod
    def open(cls, where: Location) -> Store:
        """A store for the location; StoreError when its back end cannot start."""
        if where.is_local:  # the OS itself: rename, hard links and mkdir are its atomic steps
            return cls(where, None, Path(where.text).as_posix())
        options = {"skip_instance_cache": True, "use_listings_cache": False}
        try:
            fs = fsspec.filesystem(where.scheme, **options)
        except ImportError as error:
            raise StoreError(
                f"{where}: the {SCHEMES[where.scheme]} back end is not installed ({error}); "
                "reinstall conversion-qa (pip install -e .)"
            ) from None
        except Exception as error:  # adlfs checks its account and credentials here
            raise _explained(where, error, "opening") from None
        return cls(where, fs, where.text.split("://", 1)[1])

    # names ---------------------------------------------------------------------------------

    @property
    def is_local(self) -> bool:
        return self.location.is_local

    def where(self, key: str = "") -> str:
        """The key as a person can find it: a path, or a URL."""
        if self.is_local:
            return str(Path(self.location.text, *key.split("/"))) if key else self.location.text
        return f"{self.location.text}/{key}" if key else self.location.text

    def _path(self, key: str) -> str:
        return f"{self.root}/{key}" if key else self.root

    def local_path(self, key: str = "") -> Path:
        """The key on this machine's disk (a local store only)."""
        assert self.is_local, "a remote store has no local path"
        return Path(self.location.text, *key.split("/")) if key else Path(self.location.text)

    # reading -------------------------------------------------------------------------------

    def read(self, key: str) -> bytes:
        """The object's bytes; FileNotFoundError when there is none."""
        if self.is_local:
            return self.local_path(key).read_bytes()
        with self._guarded("reading", key):
            data: bytes = self.fs.cat_file(self._path(key))
            return data

    def read_or_none(self, key: str) -> bytes | None:
        try:
            return self.read(key)
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            return None

    def read_many(self, keys: Iterable[str]) -> dict[str, bytes | None]:
        """Several objects at once (concurrently on an object store); None for each missing."""
        wanted = list(dict.fromkeys(keys))
        if self.is_local or len(wanted) < 2:
            return {key: self.read_or_none(key) for key in wanted}
        with self._guarded("reading", wanted[0]):
            found = self.fs.cat([self._path(k) for k in wanted], on_error="return")
        result: dict[str, bytes | None] = {}
        for key in wanted:
            value = found.get(self._path(key))
            if isinstance(value, (FileNotFoundError, IsADirectoryError)) or value is None:
                result[key] = None
            elif isinstance(value, BaseException):
                raise _explained(self.location, value, "reading", self.where(key))
            else:
                result[key] = value
        return result

    def children(self, key: str) -> list[Entry]:
        """What lies directly inside a folder, by name ([] when it does not exist)."""
        if self.is_local:
            return _local_children(self.local_path(key))
        with self._guarded("listing", key):
            try:
                found = self.fs.ls(self._path(key), detail=True)
            except FileNotFoundError:
                return []
        entries = [
            Entry(
                str(info["name"]).rstrip("/").rsplit("/", 1)[-1],
                info.get("type") == "directory",
                _remote_version(info),
            )
            for info in found
        ]
        return sorted(entries, key=lambda e: e.name)

    def names(self, key: str) -> set[str]:
        """The names directly inside a folder, without their details (set() when absent)."""
        if self.is_local:
            try:
                return set(os.listdir(self.local_path(key)))
            except (FileNotFoundError, NotADirectoryError):
                return set()
        return {e.name for e in self.children(key)}

    def files(self, key: str) -> dict[str, str]:
        """Every file under a folder, relative to it with "/", and its version ({} when the
        folder does not exist)."""
        if self.is_local:
            top = str(self.local_path(key))
            found: dict[str, str] = {}
            for folder, _, names in os.walk(top):
                inside = os.path.relpath(folder, top).replace(os.sep, "/")
                for name in names:
                    relative = name if inside == "." else f"{inside}/{name}"
                    with contextlib.suppress(FileNotFoundError):  # replaced while listed
                        found[relative] = _version(os.stat(os.path.join(folder, name)))
            return dict(sorted(found.items()))
        with self._guarded("listing", key):
            try:
                listed = self.fs.find(self._path(key), detail=True)
            except FileNotFoundError:
                return {}
        prefix = self._path(key) + "/"
        return {
            str(name)[len(prefix) :]: _remote_version(info)
            for name, info in sorted(listed.items())
            if str(name).startswith(prefix)
        }

    def check(self) -> None:
        """StoreError unless the bucket or container exists and can be listed."""
        if self.is_local:
            return
        bucket = self.root.split("/", 1)[0]
        with self._guarded("listing", ""):
            exists = self.fs.exists(bucket)
        if not exists:
            raise StoreError(_missing_bucket(self.location))

    # writing -------------------------------------------------------------------------------

    def write(self, key: str, data: bytes) -> None:
        """Write or replace an object whole: a reader sees the old or the new one, never half."""
        if self.is_local:
            target = self.local_path(key)
            temp = _temporary(target, data)
            try:
                os.replace(temp, target)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
            return
        with self._guarded("writing", key):
            self.fs.pipe_file(self._path(key), data, **self._typed(key))

    def write_many(self, files: Mapping[str, bytes]) -> None:
        """Write or replace several objects (concurrently on an object store)."""
        if self.is_local or len(files) < 2:
            for key, data in files.items():
                self.write(key, data)
            return
        kinds: dict[str, dict[str, bytes]] = {}
        for key, data in files.items():
            kinds.setdefault(os.path.splitext(key)[1], {})[self._path(key)] = data
        for paths in kinds.values():
            with self._guarded("writing", next(iter(files))):
                self.fs.pipe(paths, **self._typed(next(iter(paths))))

    def create(self, key: str, data: bytes) -> bool:
        """Write an object only if the key is free: False, and nothing written, when taken."""
        if self.is_local:
            target = self.local_path(key)
            temp = _temporary(target, data)
            try:
                os.link(temp, target)  # atomic, and refuses a name that exists
            except FileExistsError:
                return False
            finally:
                temp.unlink(missing_ok=True)
            return True
        with self._guarded("writing", key):
            try:
                self.fs.pipe_file(self._path(key), data, mode="create", **self._typed(key))
            except FileExistsError:
                return False
        return True

    def make_folder(self, key: str) -> bool:
        """Create an empty folder, False when it exists (a remote store reserves its name with
        an empty marker object beside it, `.reserved/<name>`, since it has no folders)."""
        if self.is_local:
            folder = self.local_path(key)
            folder.parent.mkdir(parents=True, exist_ok=True)
            try:
                folder.mkdir()
            except FileExistsError:
                return False
            return True
        parent, _, name = key.rpartition("/")
        marker = f"{parent}/.reserved/{name}" if parent else f".reserved/{name}"
        return self.create(marker, b"")

    def remove(self, key: str) -> None:
        """Delete one object (rebuild's repair of the catalogue only; never a run's file)."""
        if self.is_local:
            self.local_path(key).unlink(missing_ok=True)
            return
        with self._guarded("deleting", key), contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._path(key))

    def _typed(self, key: str) -> dict[str, Any]:
        """The content type, so a browser shows the board and reports served from the store."""
        kind = _TYPES.get(os.path.splitext(key)[1], "application/octet-stream")
        if self.location.scheme == "az":
            return {"content_settings": {"content_type": kind}}
        return {"ContentType": kind}

    @contextlib.contextmanager
    def _guarded(self, doing: str, key: str) -> Iterator[None]:
        try:
            yield
        except (FileNotFoundError, FileExistsError, IsADirectoryError):
            if doing == "writing":  # a write finds no key missing: the bucket is
                raise StoreError(_missing_bucket(self.location)) from None
            raise
        except StoreError:
            raise
        except Exception as error:
            raise _explained(self.location, error, doing, self.where(key)) from None


def _temporary(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        temp.chmod(0o644)  # mkstemp's 0600 would hide the archive from the rest of the team
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _local_children(folder: Path) -> list[Entry]:
    try:
        found = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    entries = []
    for item in found:
        with contextlib.suppress(FileNotFoundError):  # replaced while listed
            entries.append(Entry(item.name, item.is_dir(), _version(item.stat())))
    return sorted(entries, key=lambda e: e.name)


def _version(stat: os.stat_result) -> str:
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def _remote_version(info: dict[str, Any]) -> str:
    tag = info.get("ETag") or info.get("etag") or ""
    when = info.get("LastModified") or info.get("last_modified") or info.get("created") or ""
    return f"{tag}:{info.get('size')}:{when}"


def unique_suffix() -> str:
    """A short random name part: two writers never pick the same one."""
    return secrets.token_hex(4)


# what went wrong, in words ---------------------------------------------------------------------


def _missing_bucket(where: Location) -> str:
    what = "container" if where.scheme == "az" else "bucket"
    name = where.text.split("://", 1)[1].split("/", 1)[0]
    return (
        f"{where}: the {what} {name} does not exist (or these credentials cannot see it); "
        f"create it, or correct --report-dir"
    )


def _explained(where: Location, error: BaseException, doing: str, what: str = "") -> StoreError:
    """A StoreError in words for an error of the cloud's SDK (matched by name: report/ does not
    import botocore or azure, which only their back ends load)."""
    names = {kind.__name__ for kind in type(error).__mro__}
    what = what or str(where)
    if names & {"NoCredentialsError", "PartialCredentialsError", "CredentialUnavailableError"}:
        return StoreError(f"no credentials found for {where}: {_sign_in(where)}")
    if isinstance(error, ValueError) and where.scheme == "az" and "account" in str(error).lower():
        return StoreError(
            f"{where}: no storage account: set AZURE_STORAGE_ACCOUNT_NAME in the environment "
            f"({_sign_in(where)})"
        )
    status = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, PermissionError) or names & {"ClientAuthenticationError"} or status == 403:
        return StoreError(
            f"access denied {doing} {what}: the credentials found may not do that there; ask for "
            f"access, or sign in as someone who has it ({_sign_in(where)})"
        )
    if "ContainerNotFound" in str(error) or names & {"NoSuchBucket"}:
        return StoreError(_missing_bucket(where))
    if names & {
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ClientConnectorError",
        "ServiceRequestError",
        "ConnectionError",
    }:
        endpoint = " or AWS_ENDPOINT_URL" if where.scheme == "s3" else ""
        return StoreError(
            f"cannot reach the storage of {where} while {doing} {what}: check the network "
            f"(VPN, proxy){endpoint}, then run again"
        )
    return StoreError(f"{doing} {what} failed: {type(error).__name__}: {_said(error)}")


def _sign_in(where: Location) -> str:
    if where.scheme == "az":
        return (
            "sign in with `az login`, or use a managed identity, or set "
            "AZURE_STORAGE_CONNECTION_STRING in the environment; never in the biller file or "
            "on the command line"
        )
    return (
        "sign in with `aws sso login` or `aws configure`, set AWS_PROFILE, or use the "
        "machine's role; never in the biller file or on the command line"
    )


def _said(error: BaseException) -> str:
    """The error's first line, without a signature, a key or a known secret."""
    lines = str(error).strip().splitlines()
    text = _SIGNED.sub(r"\1=«redacted»", lines[0] if lines else "")
    extra = [os.environ[name] for name in _CREDENTIAL_VARIABLES if os.environ.get(name)]
    return scrub(text, extra)
