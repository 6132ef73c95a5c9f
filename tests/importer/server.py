"""A real HTTP server on 127.0.0.1 for tests that fetch: routes map a path to a response."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.deadlines import DEADLINE


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # Send no Content-Length, so the client only learns the size by reading.
    chunked_size_unknown: bool = False
    # Send the body one byte at a time with this pause between bytes (a slow-drip server).
    drip_seconds: float = 0.0


Route = Response | Callable[[], Response]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    response = Response(b"not found", status=404, content_type="text/plain")
                else:
                    response = route() if callable(route) else route
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                if response.drip_seconds:
                    self.send_header("Content-Length", str(len(response.body)))
                    self.end_headers()
                    try:
                        for byte in response.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(response.drip_seconds)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                if response.chunked_size_unknown:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        for start in range(0, len(response.body), 65536):
                            self.wfile.write(response.body[start : start + 65536])
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                try:
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@contextmanager
def running_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


class SilentServer:
    """Accepts connections on 127.0.0.1 and never answers: a dead image host.

    `attempts()` counts the connections it accepted (each fetch opens one), so a test sees
    how many times the importer tried it. `answer(backend)` makes it a working server again
    (the host came back): later connections are served by the LocalServer `backend`.
    """

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.peers: list[tuple[str, int]] = []
        self.probes: set[tuple[str, int]] = set()
        self.changed = threading.Condition()
        self.held: list[socket.socket] = []
        self.backend: LocalServer | None = None
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            if self.stopped.is_set():
                conn.close()
                return
            with self.changed:
                self.peers.append(peer)
                self.changed.notify_all()
            if self.backend is None:
                self.held.append(conn)  # read nothing, answer nothing, keep it open
                continue
            self.backend.httpd.process_request(conn, ("127.0.0.1", 0))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def attempts(self) -> int:
        """Connections made to it so far (its own probes left out). A probe connection goes
        last in the listen queue: once it is accepted, so is every connection made before."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=DEADLINE) as probe:
            mine = probe.getsockname()
            self.probes.add(mine)
            with self.changed:
                assert self.changed.wait_for(lambda: mine in self.peers, timeout=DEADLINE)
            return len([peer for peer in self.peers if peer not in self.probes])

    def answer(self, backend: LocalServer) -> None:
        self.backend = backend

    def close(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            # Wake accept() so the thread ends.
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self.sock.close()
        for conn in self.held:
            conn.close()
        self.thread.join()


@contextmanager
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.close()
