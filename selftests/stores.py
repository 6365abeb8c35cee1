"""Real object stores on loopback for the archive's self-tests: S3 through moto's server (a real
S3 API over HTTP) and Azure Blob through Azurite (Microsoft's emulator, installed from npm by
.ci/run into .ci/node/). Each listens on 127.0.0.1 only, on a free port, started once per
session; a test that needs one it cannot start is skipped with the reason, or fails when
CONVERSION_QA_REQUIRE_STORES=1 (set by .ci/run: the Linux CI must run them).

The suite reaches them as it reaches a real store: through each cloud's standard credential
chain, here the environment (the emulators' well-known development keys, never a real one), and
AWS_ENDPOINT_URL for S3. Nothing asks an instance-metadata service.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pytest

from selftests.helpers import REPO

REQUIRED = "CONVERSION_QA_REQUIRE_STORES"
AZURITE = REPO / ".ci" / "node" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's published development account (the same in every installation; no secret)
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
STARTUP = 60.0  # seconds a server may take to say it listens (Azurite is slow on a busy machine)

# Variables of the clouds' credential chains a developer's machine may have: never seen here.
_CLOUD_VARIABLES = (
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AZURE_STORAGE_ACCOUNT_NAME",
    "AZURE_STORAGE_ACCOUNT_KEY",
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURE_STORAGE_SAS_TOKEN",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_TENANT_ID",
)


def unavailable(reason: str) -> None:
    """Skip the test for want of a store, or fail it where CI requires the stores."""
    if os.environ.get(REQUIRED) == "1":
        pytest.fail(f"{reason} ({REQUIRED}=1: the stores must run here)", pytrace=False)
    pytest.skip(reason)


def isolated_environ() -> dict[str, str]:
    """The environment without the developer's own cloud credentials and config files, and
    with AWS's instance-metadata lookup off."""
    environ = {k: v for k, v in os.environ.items() if k not in _CLOUD_VARIABLES}
    environ.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_DEFAULT_REGION="us-east-1",
    )
    return environ


@dataclass(frozen=True)
class Server:
    """A store server on loopback and the environment that reaches it."""

    kind: str  # "s3" or "az"
    environ: Mapping[str, str]  # the variables the suite reads its credentials from

    def url(self, bucket: str, prefix: str = "archive") -> str:
        return f"{self.kind}://{bucket}/{prefix}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def started(command: list[str], ready: str, what: str) -> Iterator[subprocess.Popen[str]]:
    """Run a server until the test session ends; ready once it prints the ready text."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=isolated_environ(),
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:  # also drains the pipe for the server's whole life
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    said: list[str] = []
    try:
        while True:
            try:
                line = lines.get(timeout=STARTUP)
            except queue.Empty:
                unavailable(f"{what} did not start within {STARTUP:.0f} s: {''.join(said)[-500:]}")
            if line is None:
                unavailable(f"{what} exited at start: {''.join(said)[-500:]}")
            assert line is not None
            said.append(line)
            if ready in line:
                break
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def moto_s3() -> Iterator[Server]:
    """moto's S3 server on a free loopback port."""
    try:
        import moto.server  # noqa: F401  (only whether it is installed)
    except ImportError:
        unavailable("moto[server] is not installed: pip install -e '.[test]'")
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with started(command, "Running on", "moto's S3 server"):
        environ = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing-secret",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        }
        yield Server("s3", environ)


@contextlib.contextmanager
def azurite() -> Iterator[Server]:
    """Azurite's Blob service on a free loopback port, its data in a temporary folder."""
    found = AZURITE if AZURITE.exists() else shutil.which("azurite-blob")
    if found is None:
        unavailable(
            "Azurite is not installed: npm ci --prefix .ci/node (as .ci/run does) needs node"
        )
    if shutil.which("node") is None:
        unavailable("Azurite needs node, which is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="azurite-") as data:
        command = [
            str(found),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            str(port),
            "--location",
            data,
            "--skipApiVersionCheck",
            "--loose",
            "--disableTelemetry",
        ]
        with started(command, "successfully listens", "Azurite"):
            endpoint = f"http://127.0.0.1:{port}/{AZURITE_ACCOUNT}"
            connection = (
                f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};"
                f"AccountKey={AZURITE_KEY};BlobEndpoint={endpoint};"
            )
            yield Server("az", {"AZURE_STORAGE_CONNECTION_STRING": connection})


def new_bucket(server: Server) -> str:
    """A new, empty bucket (or container) of the server's; its name."""
    import fsspec

    name = f"archive-{uuid.uuid4().hex[:12]}"
    with _environ(server.environ):
        fs = fsspec.filesystem(server.kind, skip_instance_cache=True, use_listings_cache=False)
        fs.mkdir(name)
    return name


@contextlib.contextmanager
def _environ(values: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(isolated_environ() | dict(values))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
