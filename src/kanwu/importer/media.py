"""The images of one import run: each URL fetched at most once, several at a time, within
time budgets.

An old export names images on hosts that are long gone, and some of those accept a connection
and never answer: each such fetch waits out the fetcher's whole time limit, and a URL named by
seven posts cost it seven times. A `MediaFetcher` lives as long as one run (an import, or a
retry of its images) and

- remembers what became of every URL it could not fetch, so a URL is tried once per run;
- fetches a batch (one post's images, a batch of attachments) on a small thread pool, at most
  ``KANWU_IMPORT_MEDIA_PER_HOST`` at a time from one host; the threads only download, the
  caller writes to the database on its own thread;
- gives a host up for the rest of the run (a breaker) after ``KANWU_IMPORT_MEDIA_HOST_FAILURES``
  timeouts or failed connections, or once its downloads took ``KANWU_IMPORT_MEDIA_HOST_SECONDS``;
- stops downloading once the run waited ``KANWU_IMPORT_MEDIA_RUN_SECONDS`` for images;
- never lets one download run longer than its host's or the run's budget has left.

What it did not fetch is a `MediaFailure`: the reason in Chinese, and whether it was tried.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit

from django.conf import settings

from kanwu.importer.images import image_download
from kanwu.safefetch import FetchError, HostUnreachable

# A download with less time than this left in its budgets is deferred, not started.
MIN_FETCH_SECONDS = 0.1


@dataclass(frozen=True)
class MediaFailure:
    """A URL the run could not turn into an image, and why (Chinese)."""

    url: str
    reason: str
    tried: bool  # False: deferred without a download (host given up, budget spent)

    @property
    def host(self) -> str:
        return media_host(self.url)


def media_host(url: str) -> str:
    """The host a URL is fetched from, with its port when it names one: the breaker's key."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "（网址无效）"
    host = parts.hostname or "（无主机名）"
    return f"{host}:{port}" if port else host


@dataclass
class _Host:
    slots: threading.Semaphore
    failures: int = 0
    seconds: float = 0.0
    given_up: str = ""  # why the run stopped asking this host; "" while it still asks


@dataclass
class MediaFetcher:
    """One run's downloads of images; use as a context manager (it owns a thread pool)."""

    workers: int = field(default_factory=lambda: int(settings.KANWU_IMPORT_MEDIA_WORKERS))
    per_host: int = field(default_factory=lambda: int(settings.KANWU_IMPORT_MEDIA_PER_HOST))
    host_failures: int = field(
        default_factory=lambda: int(settings.KANWU_IMPORT_MEDIA_HOST_FAILURES)
    )
    host_seconds: float = field(
        default_factory=lambda: float(settings.KANWU_IMPORT_MEDIA_HOST_SECONDS)
    )
    run_seconds: float = field(
        default_factory=lambda: float(settings.KANWU_IMPORT_MEDIA_RUN_SECONDS)
    )
    failures: dict[str, MediaFailure] = field(default_factory=dict)
    waited: float = 0.0  # seconds the run spent waiting for downloads

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, self.workers), thread_name_prefix="kanwu-media"
        )

    def __enter__(self) -> MediaFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def failure(self, url: str) -> MediaFailure | None:
        """What became of `url` in this run, if it could not be fetched."""
        return self.failures.get(url)

    def remember(self, url: str, reason: str, *, tried: bool = True) -> MediaFailure:
        """Record that `url` gives no image (its bytes were no image, a file was missing…)."""
        failure = MediaFailure(url=url, reason=reason, tried=tried)
        with self._lock:
            self.failures[url] = failure
        return failure

    def fetch_all(self, urls: Iterable[str]) -> dict[str, bytes | MediaFailure]:
        """Each URL's bytes, or why there are none; a URL that failed before is not tried."""
        results: dict[str, bytes | MediaFailure] = {}
        todo: list[str] = []
        for url in dict.fromkeys(urls):
            if known := self.failures.get(url):
                results[url] = known
            else:
                todo.append(url)
        if not todo:
            return results
        started = time.monotonic()
        deadline = started + max(0.0, self.run_seconds - self.waited)
        futures = [(url, self._pool.submit(self._fetch, url, deadline)) for url in todo]
        for url, future in futures:
            results[url] = future.result()
        self.waited += time.monotonic() - started
        return results

    def _host(self, name: str) -> _Host:
        with self._lock:
            host = self._hosts.get(name)
            if host is None:
                host = self._hosts[name] = _Host(slots=threading.Semaphore(max(1, self.per_host)))
            return host

    def _deferred(self, name: str, host: _Host, deadline: float) -> str:
        """Why `host` is not asked now (called with the lock held); "" to go ahead."""
        if host.given_up:
            return host.given_up
        if self.host_seconds - host.seconds < MIN_FETCH_SECONDS:
            host.given_up = f"从主机 {name} 获取图片已用去 {self.host_seconds:.3g} 秒，本次不再尝试"
            return host.given_up
        if deadline - time.monotonic() < MIN_FETCH_SECONDS:
            return f"本次等待图片已满 {self.run_seconds:.3g} 秒，其余图片本次不再尝试"
        return ""

    def _fetch(self, url: str, deadline: float) -> bytes | MediaFailure:
        name = media_host(url)
        host = self._host(name)
        with host.slots:
            with self._lock:
                reason = self._deferred(name, host, deadline)
                limit = min(self.host_seconds - host.seconds, deadline - time.monotonic())
            if reason:
                return self.remember(url, reason, tried=False)
            started = time.monotonic()
            try:
                content = image_download(url, timeout=limit)
            except FetchError as exc:
                with self._lock:
                    host.seconds += time.monotonic() - started
                    if isinstance(exc, HostUnreachable):
                        host.failures += 1
                        if host.failures >= self.host_failures and not host.given_up:
                            host.given_up = (
                                f"主机 {name} 已有 {host.failures} 次超时或无法连接，本次不再尝试"
                            )
                    failure = MediaFailure(url=url, reason=exc.message, tried=True)
                    self.failures[url] = failure
                return failure
            with self._lock:
                host.seconds += time.monotonic() - started
            return content

    def given_up_hosts(self) -> dict[str, str]:
        """The hosts this run stopped asking, and why."""
        with self._lock:
            return {name: host.given_up for name, host in self._hosts.items() if host.given_up}


def media_failure_lines(failures: Iterable[MediaFailure]) -> list[str]:
    """The report's list of images not fetched: by host, most first, each URL and why."""
    by_host: dict[str, list[MediaFailure]] = {}
    for failure in failures:
        by_host.setdefault(failure.host, []).append(failure)
    lines: list[str] = []
    for host, found in sorted(by_host.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        lines.append(f"  主机 {host}（{len(found)} 个）：")
        lines += [f"    {failure.url}：{failure.reason}" for failure in found]
    return lines
