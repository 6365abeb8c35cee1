"""A loopback HTTP server that misbehaves on purpose, for the self-tests of the HTTP client.

Each path answers as its `Behaviour` says: at once, one byte at a time, never, or with any
status and headers. It counts the connections it accepted and the requests per path, so a test
can tell a call that was made from one that was not. Plain HTTP on 127.0.0.1 (the sandbox's
scenarios do the same over TLS); `stop()` releases every held or dripping connection.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType


@dataclass(frozen=True)
class Behaviour:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b"{}"
    drip: float = 0.0  # seconds between two bytes, from byte `drip_from` of the whole answer on
    drip_from: int = 0  # 0: the status line drips too; past the headers: only the body does
    hang: bool = False  # read the request, then never answer
    sized: bool = True  # send Content-Length (else the body ends when the connection closes)

    def wire(self) -> bytes:
        head = [f"HTTP/1.1 {self.status} X", *(f"{k}: {v}" for k, v in self.headers)]
        if self.sized:
            head.append(f"Content-Length: {len(self.body)}")
        if not self.keeps_alive:
            head.append("Connection: close")
        return ("\r\n".join(head) + "\r\n\r\n").encode() + self.body

    @property
    def keeps_alive(self) -> bool:
        """Answers with `Connection: keep-alive` serve the next request on the same connection."""
        return ("Connection", "keep-alive") in self.headers

    def headers_length(self) -> int:
        return len(self.wire()) - len(self.body)


@dataclass
class LoopbackServer:
    routes: dict[str, Behaviour]
    requests: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LoopbackServer:
        self._accepting.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):  # wakes the accept() below; close() alone does not
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._accepting.join(timeout=5)
        for thread in list(self._threads):
            thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed by stop()
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            while self._answer(connection):
                pass

    def _answer(self, connection: socket.socket) -> bool:
        """Reads one request and answers it; whether the connection serves another."""
        try:
            path = self._read_request(connection)
        except OSError:
            return False
        with self._lock:
            self.requests[path] += 1
        behaviour = self.routes.get(path, Behaviour(404, body=b"no such path"))
        if behaviour.hang:
            self._stop.wait(60)
            return False
        whole = behaviour.wire()
        try:
            connection.sendall(whole[: behaviour.drip_from] if behaviour.drip else whole)
            if behaviour.drip:
                for index in range(behaviour.drip_from, len(whole)):
                    if self._stop.wait(behaviour.drip):
                        return False
                    connection.sendall(whole[index : index + 1])
        except OSError:  # the client gave up
            return False
        return behaviour.keeps_alive

    @staticmethod
    def _read_request(connection: socket.socket) -> str:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(4096)
            if not chunk:
                raise OSError("the client closed the connection")
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next(
            (
                int(line.split(":", 1)[1])
                for line in lines
                if line.lower().startswith("content-length:")
            ),
            0,
        )
        while len(rest) < length:
            chunk = connection.recv(4096)
            if not chunk:
                break
            rest += chunk
        return lines[0].split(" ")[1]
