"""A real HTTP server on 127.0.0.1 for tests that fetch: routes map a path to a response."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
