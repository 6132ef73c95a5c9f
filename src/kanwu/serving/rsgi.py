"""The async front `kanwu serve` runs under granian's RSGI interface.

granian's WSGI interface reads a request body inside its blocking threads, with no timeout:
a dozen clients trickling uploads hold every thread, and every page, cached ones included,
waits behind them. Here the event loop does the waiting instead. It answers page-cache hits
itself (`FastPath.cached`), and reads every other request's body whole before any thread is
involved: a byte at least every `KANWU_BODY_TIMEOUT` seconds, and no more time spent on it at
any moment than `KANWU_BODY_DEADLINE` seconds plus what has arrived at `MIN_RATE` (so the whole
body within the deadline plus its length at that rate; else 408, also for a client that
trickles a byte now and then), none over `KANWU_MAX_BODY_BYTES` (413), and at most
`KANWU_MAX_UPLOADS` large bodies at once per process (503 with Retry-After, at once: a queue
would only move the wait). Only then does the WSGI application (FastPath with Django behind
it) run, in a pool of `KANWU_WEB_THREADS` threads. `kanwu.wsgi:application` stays the entry
point for WSGI servers.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# granian.rsgi's public names; it re-exports them without declaring them (no __all__).
from granian.rsgi import (  # type: ignore[attr-defined]
    HTTPProtocol,
    Scope,
)
from granian.rsgi import ProtocolClosed as RSGIProtocolClosed  # type: ignore[attr-defined]
from granian.rsgi import ProtocolError as RSGIProtocolError  # type: ignore[attr-defined]

from kanwu.publishing.fastpath import FastPath
from kanwu.wsgi import application as wsgi_application

logger = logging.getLogger(__name__)

MIN_RATE = 16 * 1024  # bytes a second a body must average, beyond the deadline's grace
SMALL_BODY = 64 * 1024  # a body up to this size is a form post, not an upload: no slot needed
BATCH = 256 * 1024  # bytes of a response pulled from the application per trip to the pool
RETRY_AFTER = "10"  # seconds a client refused for want of an upload slot is told to wait
TEXT = [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")]
ClientGone = (RSGIProtocolClosed, RSGIProtocolError, ConnectionError)


@dataclass(frozen=True)
class Limits:
    idle: float  # seconds a body may go without a byte
    deadline: float  # seconds of grace, after which a body must average MIN_RATE
    max_body: int  # bytes
    max_uploads: int  # large bodies read at once, per process
    threads: int  # threads running the WSGI application, per process

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            idle=settings.KANWU_BODY_TIMEOUT,
            deadline=settings.KANWU_BODY_DEADLINE,
            max_body=settings.KANWU_MAX_BODY_BYTES,
            max_uploads=settings.KANWU_MAX_UPLOADS,
            threads=settings.KANWU_WEB_THREADS,
        )

    def seconds_for(self, length: int) -> float:
        """How long the first `length` bytes of a body may take to arrive."""
        return self.deadline + length / MIN_RATE


class Refused(Exception):
    """The request is answered with `status` and a short Chinese text, without the app."""

    def __init__(self, status: int, text: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(text)
        self.status = status
        self.text = text
        self.headers = headers or []


def split_address(address: str) -> tuple[str, str]:
    """("host", "port") from granian's "host:port" (IPv6 hosts come in brackets)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), port


def build_environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The PEP 3333 environ of this request, its body already read into `body`."""
    server_name, server_port = split_address(scope.server)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        # granian hands over the path percent-decoded as UTF-8; WSGI wants those bytes as
        # latin-1 (a byte that is not UTF-8 arrives as U+FFFD: RSGI does not keep it).
        "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_name,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": split_address(scope.client)[0],
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": "kanwu",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.headers.items():
        if "_" in name:
            continue  # "X_Forwarded_For" would pose as X-Forwarded-For (as gunicorn, nginx do)
        if name == "content-type":
            key = "CONTENT_TYPE"
        elif name == "content-length":
            key = "CONTENT_LENGTH"
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        if key in environ:
            environ[key] += ("; " if key == "HTTP_COOKIE" else ", ") + value
        else:
            environ[key] = value
    if "HTTP_HOST" not in environ and scope.authority:
        environ["HTTP_HOST"] = scope.authority  # HTTP/2 sends :authority instead of Host
    if body or "HTTP_TRANSFER_ENCODING" in environ:
        environ["CONTENT_LENGTH"] = str(len(body))  # Django reads CONTENT_LENGTH bytes only
    return environ


def declared_length(scope: Scope) -> int | None:
    """The body's length: its Content-Length, 0 when it has none, None when chunked."""
    value = scope.headers.get("content-length")
    if value is None:
        return None if "transfer-encoding" in scope.headers else 0
    if not (value.isascii() and value.isdigit()):
        raise Refused(400, "请求头 Content-Length 无效。")
    return int(value)


def status_code(status: str) -> int:
    return int(status.split(" ", 1)[0])


class Call:
    """One run of the WSGI application, driven from the pool one batch at a time."""

    def __init__(self, app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> None:
        self.app = app
        self.environ = environ
        self.status = "500 Internal Server Error"
        self.headers: list[tuple[str, str]] = []
        self.written: list[bytes] = []  # what the app gave to start_response's `write`
        self.iterable: Iterable[bytes] = ()
        self.iterator: Iterator[bytes] = iter(())
        self.closed = False

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        # Headers go out only once the first batch is pulled, so a second call (an error
        # page replacing a response) may always replace them.
        self.status, self.headers = status, headers
        return self.written.append

    def begin(self) -> tuple[list[bytes], bool]:
        """Run the application and pull its first batch; close it if that was all."""
        self.iterable = self.app(self.environ, self.start_response)
        self.iterator = iter(self.iterable)
        return self.pull()

    def pull(self) -> tuple[list[bytes], bool]:
        """The next chunks, up to about BATCH bytes, and whether the body is finished (then
        the iterable is closed here, in the thread that ran it where possible, as Django
        closes that thread's database connections on close)."""
        chunks, self.written = self.written, []
        size = sum(map(len, chunks))
        try:
            for chunk in self.iterator:
                if chunk:
                    chunks.append(chunk)
                    size += len(chunk)
                if size >= BATCH:
                    return chunks, False
        except BaseException:
            self.close()
            raise
        self.close()
        return chunks, True

    def close(self) -> None:
        """PEP 3333's close(), once (Django's ends the request: signals, connections)."""
        if self.closed:
            return
        self.closed = True
        close = getattr(self.iterable, "close", None)
        if close is not None:
            close()


class Front:
    """The RSGI application: `kanwu.serving.rsgi:application`."""

    def __init__(self, app: FastPath, limits: Limits) -> None:
        self.app = app
        self.limits = limits
        self.uploads = 0  # large bodies being read now (the event loop is one thread)
        self.pool = ThreadPoolExecutor(limits.threads, thread_name_prefix="kanwu-web")

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.pool.shutdown(wait=False)

    async def __rsgi__(self, scope: Scope, proto: HTTPProtocol) -> None:
        try:
            length = declared_length(scope)
            if length == 0 and scope.method in ("GET", "HEAD"):
                environ = build_environ(scope, b"")
                if (answer := self.app.cached(environ)) is not None:
                    proto.response_bytes(status_code(answer.status), answer.headers, answer.body)
                    return
            else:
                environ = build_environ(scope, await self.read_body(proto, length))
            await self.respond(proto, environ)
        except Refused as refusal:
            proto.response_str(refusal.status, [*TEXT, *refusal.headers], refusal.text + "\n")
        except ClientGone:
            logger.debug("client went away: %s %s", scope.method, scope.path)
        except Exception:
            logger.exception("%s %s failed", scope.method, scope.path)
            proto.response_str(500, TEXT, "服务器内部错误。\n")

    async def read_body(self, proto: HTTPProtocol, length: int | None) -> bytes:
        """The whole body, read on the event loop within the limits (else Refused)."""
        if length == 0:
            return b""
        if length is not None and length > self.limits.max_body:
            raise Refused(413, self.too_large())
        if length is not None and length <= SMALL_BODY:
            return await self.receive(proto, length)
        if self.uploads >= self.limits.max_uploads:
            raise Refused(503, "服务器正忙，请稍后再试。", [("Retry-After", RETRY_AFTER)])
        self.uploads += 1
        try:
            return await self.receive(proto, length)
        finally:
            self.uploads -= 1

    async def receive(self, proto: HTTPProtocol, length: int | None) -> bytes:
        loop = asyncio.get_running_loop()
        start = loop.time()
        chunks: list[bytes] = []
        received = 0
        stream = aiter(proto)
        while True:
            # Held to the rate for what has arrived so far, not for what was announced: a
            # client announcing 60 MB and trickling a byte now and then would hold its slot
            # for an hour otherwise.
            left = start + self.limits.seconds_for(received)
            wait = min(self.limits.idle, left - loop.time())
            if wait <= 0:
                raise Refused(408, "请求体发送超时，请重试。")
            try:
                chunk = await asyncio.wait_for(anext(stream), wait)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise Refused(408, "请求体发送超时，请重试。") from None
            received += len(chunk)
            if received > self.limits.max_body:
                raise Refused(413, self.too_large())
            chunks.append(chunk)
        if length is not None and received != length:
            raise Refused(400, "请求体不完整。")  # the client hung up mid-body
        return b"".join(chunks)

    def too_large(self) -> str:
        return f"上传内容过大（上限 {self.limits.max_body / 1024 / 1024:g} MB）。"

    async def respond(self, proto: HTTPProtocol, environ: dict[str, Any]) -> None:
        """Run the WSGI application in the pool; send its answer in one piece when it fits in
        one batch, else stream it, pulling each next batch in the pool."""
        loop = asyncio.get_running_loop()
        call = Call(self.app, environ)
        try:
            chunks, finished = await loop.run_in_executor(self.pool, call.begin)
        except Exception:
            logger.exception("%s %s failed", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            raise Refused(500, "服务器内部错误。") from None
        status = status_code(call.status)
        if finished:
            proto.response_bytes(status, call.headers, b"".join(chunks))
            return
        try:
            transport = proto.response_stream(status, call.headers)
            while True:
                for chunk in chunks:
                    await transport.send_bytes(chunk)
                if finished:
                    return
                chunks, finished = await loop.run_in_executor(self.pool, call.pull)
        except ClientGone:
            logger.debug("client went away during %s", environ["PATH_INFO"])
        except Exception:
            # The status line is out: all that is left is to end the response short.
            logger.exception("%s %s failed", environ["REQUEST_METHOD"], environ["PATH_INFO"])
        finally:
            if not call.closed:
                await loop.run_in_executor(self.pool, call.close)


application = Front(wsgi_application, Limits.from_settings())
