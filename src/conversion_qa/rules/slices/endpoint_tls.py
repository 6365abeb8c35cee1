"""endpoint-tls: Every https endpoint presents a certificate that holds: it verifies, names the
host, is valid today, over TLS 1.2+; one expiring within the warning period passes with a
warning.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from conversion_qa.clients.tls import TlsFacts, TlsStatus
from conversion_qa.rules.hosts import tls_endpoints
from conversion_qa.rules.rule import Applies, Kind, Rule, Source
from conversion_qa.rules.slice import TLS, Slice
from conversion_qa.rules.verdict import NotChecked, Problem

ID = "endpoint-tls"

# OpenSSL's X509_V_ERR codes that each get their own sentence.
_EXPIRED, _NOT_YET_VALID = 10, 9
_SELF_SIGNED = {18, 19}  # depth-zero self-signed; self-signed in chain
_UNTRUSTED_ISSUER = {2, 20, 21}  # issuer unknown here; chain incomplete
_HOSTNAME_MISMATCH = 62
_MODERN = {"TLSv1.2", "TLSv1.3"}


def endpoint_tls(facts: TlsFacts, now: datetime, source: str) -> Problem | NotChecked | None:
    """The first thing wrong with the endpoint's TLS, or None when the certificate holds; not
    checked when no connection was made (nothing to judge)."""
    endpoint = f"{facts.host}:{facts.port}"
    cert = facts.certificate
    described = cert.describe() if cert else "no certificate seen"
    expected = (
        f"a certificate for {facts.host} that verifies against the trusted CAs, valid today, "
        "over TLS 1.2 or newer"
    )

    def problem(summary: str, found: str, fix: str) -> Problem:
        return Problem(summary=summary, expected=expected, found=found, fix=fix, where=source)

    if facts.status is TlsStatus.CONNECT_FAILED:
        return NotChecked(
            reason=f"no connection to {endpoint}",
            detail=f"could not connect to {endpoint} to see its certificate: {facts.error}",
            fix="check that this machine is online (and on the VPN, if the endpoint needs it) "
            "and that the endpoint is up and reachable from here (firewall, allow-list, and the "
            "public-dns result for the host)",
            where=source,
        )
    if facts.status is TlsStatus.OLD_PROTOCOL:
        offered = f"; it offers {facts.version}" if facts.version else ""
        return problem(
            f"{endpoint} does not offer TLS 1.2 or newer",
            f"the server refused TLS 1.2 and 1.3 ({facts.error}){offered}; {described}",
            "Ask S&S to enable TLS 1.2 or 1.3 on the endpoint; older versions are refused.",
        )
    if facts.status is TlsStatus.HANDSHAKE_FAILED:
        return problem(
            f"the TLS handshake with {endpoint} failed: {facts.error}",
            f"{facts.error}; {described}",
            "Ask S&S to check the endpoint's TLS configuration (protocols, ciphers, certificate).",
        )
    if facts.status is TlsStatus.UNVERIFIED:
        return _unverified(facts, endpoint, described, problem)
    if facts.version not in _MODERN:
        return problem(
            f"{endpoint} negotiated {facts.version}, older than TLS 1.2",
            f"{facts.version}; {described}",
            "Ask S&S to enable TLS 1.2 or 1.3 on the endpoint.",
        )
    if cert is not None and cert.not_after <= now:
        return problem(
            f"the certificate of {endpoint} expired on {cert.not_after:%Y-%m-%d}",
            described,
            "Ask S&S to renew the certificate now; if the recording is old, record it again.",
        )
    if cert is not None and cert.not_before > now:
        return problem(
            f"the certificate of {endpoint} is not valid before {cert.not_before:%Y-%m-%d}",
            described,
            "Ask S&S to install a certificate valid today.",
        )
    return None


def expiry_warning(facts: TlsFacts, now: datetime, days: int, source: str) -> Problem | None:
    """A warning when a certificate that holds expires within `days`, or None."""
    cert = facts.certificate
    if cert is None or not now < cert.not_after:
        return None
    left = cert.not_after - now
    days_left = left.days + (1 if left % timedelta(days=1) else 0)  # 9 days 23 h is 10 days
    if days_left > days:
        return None
    return Problem(
        summary=f"the certificate of {facts.host}:{facts.port} expires in {days_left} days, on "
        f"{cert.not_after:%Y-%m-%d}",
        expected=f"more than {days} days of validity left",
        found=cert.describe(),
        fix="Ask S&S to renew the certificate before the conversion weekend.",
        where=source,
    )


def _unverified(
    facts: TlsFacts,
    endpoint: str,
    described: str,
    problem: Callable[[str, str, str], Problem],
) -> Problem:
    code, reason = facts.verify_code, facts.verify_error or "verification failed"
    cert = facts.certificate
    if code == _EXPIRED:
        when = f" on {cert.not_after:%Y-%m-%d}" if cert else ""
        return problem(
            f"the certificate of {endpoint} expired{when}",
            f"{reason}; {described}",
            "Ask S&S to renew the certificate now.",
        )
    if code == _NOT_YET_VALID:
        return problem(
            f"the certificate of {endpoint} is not valid yet",
            f"{reason}; {described}",
            "Ask S&S to install a certificate valid today (or check this machine's clock).",
        )
    if code == _HOSTNAME_MISMATCH:
        return problem(
            f"the certificate of {endpoint} is not for {facts.host}",
            f"{reason}; {described}",
            f"Ask S&S to install a certificate whose subject alternative names include "
            f"{facts.host}.",
        )
    if code in _SELF_SIGNED:
        return problem(
            f"the certificate of {endpoint} is self-signed, so its chain does not verify",
            f"{reason}; {described}",
            "Ask S&S to install a certificate issued by a public CA, with its full chain.",
        )
    if code in _UNTRUSTED_ISSUER:
        return problem(
            f"the certificate chain of {endpoint} does not verify: its issuer is not trusted or "
            "the chain is incomplete",
            f"{reason}; {described}",
            "Ask S&S to serve the full chain from a public CA; for a private CA the team "
            "accepts, pass it with --ca-bundle.",
        )
    return problem(
        f"the certificate of {endpoint} does not verify: {reason}",
        f"{reason}; {described}",
        "Ask S&S to install a certificate for the host name from a public CA, with its chain.",
    )


SLICE = Slice(
    Rule(
        id=ID,
        title="Every https endpoint presents a certificate that holds",
        impact="critical",
        kind=Kind.NETWORK,
        applies=Applies.ALL,
        live_source=Source.NETWORK,
        checklist="Beyond the checklist: a certificate that fails breaks a weekend just as surely "
        "as a missing DNS record",
        troubleshooting="Ask S&S to install a certificate for the host name, issued by a public CA "
        "with its full chain, and to renew it before it expires.",
    ),
    items=tls_endpoints,
    replays=(TLS,),
)
