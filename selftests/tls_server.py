"""A loopback HTTPS endpoint for the endpoint-tls self-tests: it serves one certificate, on
127.0.0.1, from a thread, and only handshakes (the rule never sends a request)."""

from __future__ import annotations

import socket
import ssl
import threading
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


class TlsServer:
    """Handshakes with every client on 127.0.0.1:port until stopped."""

    def __init__(self, cert_pem: Path, key_pem: Path, *, tls11_only: bool = False) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if tls11_only:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self.context.minimum_version = ssl.TLSVersion.TLSv1_1
                self.context.maximum_version = ssl.TLSVersion.TLSv1_1
            self.context.set_ciphers("DEFAULT:@SECLEVEL=0")
        self.context.load_cert_chain(cert_pem, key_pem)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True, name="tls-server")

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return  # the listener was closed: stop
            with raw:
                raw.settimeout(5)
                try:
                    with self.context.wrap_socket(raw, server_side=True) as tls:
                        tls.recv(1)  # until the client closes
                except (OSError, ssl.SSLError):
                    pass  # a refused handshake is what some tests want

    def __enter__(self) -> TlsServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join()


def write_leaf(folder: Path, leaf: trustme.LeafCert, name: str) -> tuple[Path, Path]:
    """The leaf's chain and key as PEM files, for TlsServer."""
    cert_pem, key_pem = folder / f"{name}.pem", folder / f"{name}.key"
    leaf.private_key_and_cert_chain_pem.write_to_path(str(key_pem))
    leaf.cert_chain_pems[0].write_to_path(str(cert_pem))
    for extra in leaf.cert_chain_pems[1:]:
        extra.write_to_path(str(cert_pem), append=True)
    return cert_pem, key_pem


def write_self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    """A certificate for host signed by its own key (no CA at all)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem, key_pem = folder / "self-signed.pem", folder / "self-signed.key"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_pem, key_pem


def tls11_server_possible(cert_pem: Path, key_pem: Path) -> bool:
    """Whether this machine's OpenSSL still speaks TLS 1.1 at all (some builds removed it)."""
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            client.minimum_version = ssl.TLSVersion.TLSv1_1
        client.set_ciphers("DEFAULT:@SECLEVEL=0")
        with (
            TlsServer(cert_pem, key_pem, tls11_only=True) as server,
            socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw,
            client.wrap_socket(raw) as tls,
        ):
            return tls.version() == "TLSv1.1"
    except (OSError, ValueError):
        return False
