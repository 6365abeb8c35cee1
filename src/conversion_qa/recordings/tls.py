"""`fixtures/<biller>/tls.yaml`: the TLS facts of each endpoint, for offline runs.

Offline, the recorded verification result (chain, host name, protocol) is taken as it was,
since the chain cannot be re-verified without the server; expiry is judged against TODAY, not
the recording date, because the sign-off asks whether the certificate holds now: a recording
of a certificate that has since expired (or is about to) fails (or warns) until re-recorded.

    version: 1
    endpoints:
      enquesta-test.demo.example.com:        # the host, or host:port when the port is not 443
        recorded: '2026-11-25T17:40:00Z'
        status: verified  # or unverified, old-protocol, handshake-failed, connect-failed
        version: TLSv1.3
        verify_error: null    # OpenSSL's reason when unverified, e.g. certificate has expired
        verify_code: null
        error: null           # why the connection or handshake failed
        certificate:          # null when none was seen
          subject: CN=enquesta-test.demo.example.com
          issuer: CN=R11,O=Let's Encrypt,C=US
          not_before: '2026-11-02T00:00:00Z'
          not_after: '2027-12-04T23:59:59Z'
          names: [enquesta-test.demo.example.com]
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conversion_qa.clients.tls import Certificate, TlsFacts, TlsStatus
from conversion_qa.errors import BadRecording
from conversion_qa.recordings.store import recorded_entry, update_entry

FILE_NAME = "tls.yaml"
SECTION = "endpoints"
HEADER = (
    "# Recorded TLS facts for offline runs of endpoint-tls, per endpoint host[:port]\n"
    "# (format: src/conversion_qa/recordings/tls.py). Written by\n"
    "# pytest -m live --record-fixtures. Expiry is judged against today's date.\n"
)
_TIME = "%Y-%m-%dT%H:%M:%SZ"


def path_for(fixtures_dir: Path, biller_id: str) -> Path:
    return fixtures_dir / biller_id / FILE_NAME


def recorded_facts(path: Path, endpoint: str, host: str, port: int) -> tuple[TlsFacts, str]:
    """The recorded facts of an endpoint (host or host:port), and when they were recorded."""
    entry = recorded_entry(path, SECTION, endpoint, "TLS facts")
    try:
        cert: dict[str, Any] | None = entry.get("certificate")
        facts = TlsFacts(
            host=host,
            port=port,
            status=TlsStatus(entry["status"]),
            version=entry.get("version"),
            verify_error=entry.get("verify_error"),
            verify_code=entry.get("verify_code"),
            error=entry.get("error"),
            certificate=None
            if cert is None
            else Certificate(
                subject=str(cert["subject"]),
                issuer=str(cert["issuer"]),
                not_before=_time(cert["not_before"]),
                not_after=_time(cert["not_after"]),
                names=tuple(str(n) for n in cert.get("names") or ()),
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BadRecording(
            f"{path}: endpoints.{endpoint} is malformed ({error!r}); see the format in "
            "src/conversion_qa/recordings/tls.py"
        ) from None
    return facts, str(entry.get("recorded", "an unknown date"))


def record(path: Path, endpoint: str, facts: TlsFacts) -> None:
    """Write an endpoint's facts into the recording, replacing what it held for it."""
    cert = facts.certificate
    entry = {
        "recorded": datetime.now(UTC).strftime(_TIME),
        "status": facts.status.value,
        "version": facts.version,
        "verify_error": facts.verify_error,
        "verify_code": facts.verify_code,
        "error": facts.error,
        "certificate": None
        if cert is None
        else {
            "subject": cert.subject,
            "issuer": cert.issuer,
            "not_before": cert.not_before.strftime(_TIME),
            "not_after": cert.not_after.strftime(_TIME),
            "names": list(cert.names),
        },
    }
    update_entry(path, HEADER, SECTION, endpoint, entry)


def _time(value: object) -> datetime:
    # YAML may have read an unquoted timestamp as a datetime already.
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
