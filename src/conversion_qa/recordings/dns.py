"""`fixtures/<biller>/dns.yaml`: what each nameserver answered for each host, for offline runs.

The format (version 1), one entry per host name, each nameserver's answer kept on its own so
that an offline run judges agreement exactly as the live run did:

    version: 1
    hosts:
      enquesta-test.demo.example.com:
        recorded: '2026-11-25T17:40:00Z'     # when the live run asked (UTC)
        answers:
          - nameserver: 1.1.1.1:53
            status: answer    # or nxdomain, no-answer, no-nameserver, timeout
            cnames: [edge.demo.example.net]  # the alias chain after the host, in order
            addresses: [93.184.215.34]  # A and AAAA records
            unanswered:       # optional: a record type the nameserver did not answer
              - {type: AAAA, status: no-nameserver, detail: REFUSED}   # or status timeout
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from conversion_qa.clients.dns import RECORD_TYPES, Answer, Status, Unanswered
from conversion_qa.errors import BadRecording
from conversion_qa.recordings.store import recorded_entry, update_entry

FILE_NAME = "dns.yaml"
SECTION = "hosts"
HEADER = (
    "# Recorded DNS answers for offline runs of public-dns: per host, what each nameserver\n"
    "# answered (format: src/conversion_qa/recordings/dns.py). Written by\n"
    "# pytest -m live --record-fixtures; safe to edit by hand.\n"
)


def path_for(fixtures_dir: Path, biller_id: str) -> Path:
    return fixtures_dir / biller_id / FILE_NAME


def recorded_answers(path: Path, host: str) -> tuple[list[Answer], str]:
    """Each nameserver's recorded answer for host, and when it was recorded."""
    entry = recorded_entry(path, SECTION, host, "answer")
    try:
        answers = [
            Answer(
                host=host,
                nameserver=str(item["nameserver"]),
                status=Status(item["status"]),
                cnames=tuple(str(name) for name in item.get("cnames") or ()),
                addresses=tuple(str(address) for address in item.get("addresses") or ()),
                unanswered=tuple(_unanswered(u) for u in item.get("unanswered") or ()),
            )
            for item in entry["answers"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise BadRecording(
            f"{path}: hosts.{host} is malformed ({error!r}); each answer needs nameserver, "
            f"status (one of {', '.join(s.value for s in Status)}), cnames and addresses, "
            f"and may have unanswered: [{{type: {' or '.join(RECORD_TYPES)}, status, detail}}]"
        ) from None
    if not answers:
        raise BadRecording(f"{path}: hosts.{host}.answers is empty")
    return answers, str(entry.get("recorded", "an unknown date"))


def _unanswered(item: dict[str, object]) -> Unanswered:
    record_type, status = str(item["type"]), Status(item["status"])
    if record_type not in RECORD_TYPES or status not in (Status.NO_NAMESERVER, Status.TIMEOUT):
        raise ValueError(f"unanswered {record_type} with status {status.value}")
    return Unanswered(record_type, status, str(item.get("detail") or ""))


def _entry(answer: Answer) -> dict[str, object]:
    entry: dict[str, object] = {
        "nameserver": answer.nameserver,
        "status": answer.status.value,
        "cnames": list(answer.cnames),
        "addresses": list(answer.addresses),
    }
    if answer.unanswered:  # written only when there is one: older recordings read the same
        entry["unanswered"] = [
            {"type": u.record_type, "status": u.status.value, "detail": u.detail}
            for u in answer.unanswered
        ]
    return entry


def record(path: Path, host: str, answers: Sequence[Answer]) -> None:
    """Write host's answers into the recording, replacing what it held for host."""
    entry = {
        "recorded": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "answers": [_entry(a) for a in answers],
    }
    update_entry(path, HEADER, SECTION, host, entry)
