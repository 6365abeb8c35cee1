"""A TLS handshake with an endpoint, and the facts of the certificate it presents.

The handshake verifies the chain against the system CA bundle plus an optional extra bundle
(`--ca-bundle`), checks the host name and refuses anything older than TLS 1.2. The TCP
connection may go somewhere other than the host name says: `connect_to=("127.0.0.1", port)`
connects there while SNI and the host name check still use the real host. The self-tests use it
for their loopback HTTPS servers, and the sandbox rehearsal will use it for its own.

When verification fails, a second handshake that verifies nothing reads the certificate so that
the message can name its subject, issuer and dates; it sends no data and decides nothing.
"""

from __future__ import annotations

import socket
import ssl
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from cryptography import x509

from conversion_qa.clients.connections import CONNECTIONS

# OpenSSL's reasons when one side will not speak the other's protocol version.
_OLD_PROTOCOL = {
    "TLSV1_ALERT_PROTOCOL_VERSION",
    "UNSUPPORTED_PROTOCOL",
    "WRONG_SSL_VERSION",
    "NO_PROTOCOLS_AVAILABLE",
    "WRONG_VERSION_NUMBER",
}


class TlsStatus(Enum):
    VERIFIED = "verified"  # TLS 1.2+, chain and host name verified
    UNVERIFIED = "unverified"  # the handshake failed certificate verification
    OLD_PROTOCOL = "old-protocol"  # the server offers nothing as new as TLS 1.2
    HANDSHAKE_FAILED = "handshake-failed"  # another TLS failure
    CONNECT_FAILED = "connect-failed"  # no TCP connection (refused, timeout, unresolvable)


@dataclass(frozen=True)
class Certificate:
    """The facts of a leaf certificate a PM needs to ask for the right fix."""

    subject: str
    issuer: str
    not_before: datetime  # UTC
    not_after: datetime  # UTC
    names: tuple[str, ...]  # DNS names of the subject alternative name

    def describe(self) -> str:
        return (
            f"certificate {self.subject}, issued by {self.issuer}, valid "
            f"{self.not_before:%Y-%m-%d %H:%M} to {self.not_after:%Y-%m-%d %H:%M} UTC"
            + (f", for {', '.join(self.names)}" if self.names else "")
        )


@dataclass(frozen=True)
class TlsFacts:
    """What one handshake with host:port showed."""

    host: str
    port: int
    status: TlsStatus
    version: str | None = None  # "TLSv1.3", as negotiated
    verify_error: str | None = None  # OpenSSL's words, e.g. "certificate has expired"
    verify_code: int | None = None  # OpenSSL's X509_V_ERR code
    error: str | None = None  # why the connection or handshake failed
    certificate: Certificate | None = None


def handshake(
    host: str,
    port: int = 443,
    *,
    timeout: float,
    ca_bundle: Path | None = None,
    connect_to: tuple[str, int] | None = None,
) -> TlsFacts:
    """Handshake with host:port (TCP to connect_to if given); never raises for a bad endpoint."""
    target = connect_to or (host, port)
    context = verifying_context(ca_bundle)
    try:
        with (
            socket.create_connection(target, timeout=timeout) as raw,
            _noted(host, raw),
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
            certificate = parse_certificate(der) if der else None
            return TlsFacts(host, port, TlsStatus.VERIFIED, tls.version(), certificate=certificate)
    except ssl.SSLCertVerificationError as error:
        version, certificate = _read_anyway(host, target, timeout)
        return TlsFacts(
            host,
            port,
            TlsStatus.UNVERIFIED,
            version,
            verify_error=error.verify_message,
            verify_code=error.verify_code,
            certificate=certificate,
        )
    except ssl.SSLError as error:
        status = TlsStatus.OLD_PROTOCOL if error.reason in _OLD_PROTOCOL else None
        version, certificate = _read_anyway(host, target, timeout)
        return TlsFacts(
            host,
            port,
            status or TlsStatus.HANDSHAKE_FAILED,
            version,
            error=error.reason or str(error),
            certificate=certificate,
        )
    except TimeoutError:
        return TlsFacts(
            host, port, TlsStatus.CONNECT_FAILED, error=f"no answer within {timeout:g} s"
        )
    except OSError as error:
        return TlsFacts(host, port, TlsStatus.CONNECT_FAILED, error=error.strerror or str(error))


@contextmanager
def _noted(host: str, connected: socket.socket) -> Iterator[None]:
    """Note where the connection went (clients/connections.py), whatever the handshake says."""
    CONNECTIONS.record_peer(host, connected)
    yield


def verifying_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The system CAs plus ca_bundle, host name checked, TLS 1.2 or newer."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_bundle is not None:
        context.load_verify_locations(cafile=str(ca_bundle))
    return context


def _read_anyway(
    host: str, target: tuple[str, int], timeout: float
) -> tuple[str | None, Certificate | None]:
    """The protocol and certificate an endpoint offers, trusting nothing; used only to describe
    an endpoint that already failed verification."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # old versions on purpose: to say what the server offers
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        with (
            socket.create_connection(target, timeout=timeout) as raw,
            _noted(host, raw),
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
            return tls.version(), parse_certificate(der) if der else None
    except (OSError, ValueError):
        return None, None


def parse_certificate(der: bytes) -> Certificate:
    """Subject, issuer, validity and DNS names of a DER certificate."""
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = tuple(san.value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = ()
    return Certificate(
        subject=cert.subject.rfc4514_string() or "(empty subject)",
        issuer=cert.issuer.rfc4514_string() or "(empty issuer)",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        names=names,
    )
