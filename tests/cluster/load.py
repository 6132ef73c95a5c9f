"""Readers and commenters sending requests through nginx without pause, each answer noted."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from tests.cluster.harness import Cluster, http, wait_until

COUNTER = itertools.count()


@dataclass
class Request:
    kind: str  # "read" or "comment"
    started: float
    finished: float
    status: int | None  # None: no answer at all
    upstream: str
    marker: str = ""  # a comment's unique text

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500


@dataclass
class Load:
    cluster: Cluster
    article_id: int
    read_paths: list[str]
    tokens: dict[str, str]
    cookie: str
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self, readers: int = 2, commenters: int = 1) -> None:
        for target, count in ((self.read, readers), (self.comment, commenters)):
            for _ in range(count):
                thread = threading.Thread(target=target, daemon=True)
                thread.start()
                self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def note(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)

    def read(self) -> None:
        for path in itertools.cycle(self.read_paths):
            if self.stopping.is_set():
                return
            self.note(self.one("read", lambda path=path: http(self.cluster.url + path)))

    def comment(self) -> None:
        # A reader takes a few seconds to write (the form refuses faster posts).
        self.stopping.wait(4)
        while not self.stopping.is_set():
            n = next(COUNTER)
            marker = f"集群测试评论 {n} {time.time():.6f}"
            data = {
                "comment_post_ID": str(self.article_id),
                "comment_parent": "0",
                "author": f"读者{n}",
                "email": f"reader{n}@example.cn",
                "url": "",
                "comment": marker,
                **self.tokens,
            }
            headers = {
                "Cookie": f"csrftoken={self.cookie}",
                # A reader of its own each time (rate limits count per address and e-mail).
                "X-Forwarded-For": f"198.18.{n // 250 % 250}.{n % 250 + 1}",
            }
            self.note(
                self.one(
                    "comment",
                    lambda data=data, headers=headers: http(
                        self.cluster.url + "/comments/post/", data=data, headers=headers
                    ),
                    marker,
                )
            )

    def one(self, kind: str, send: object, marker: str = "") -> Request:
        started = time.monotonic()
        try:
            answer = send()  # type: ignore[operator]
            status, upstream = answer.status, answer.headers.get("x-upstream", "")
        except OSError:
            status, upstream = None, ""
        return Request(kind, started, time.monotonic(), status, upstream, marker)

    def snapshot(self) -> list[Request]:
        with self.lock:
            return list(self.requests)

    def wait_for_answers(
        self, count: int, since: float, upstream: str | None = None, kind: str | None = None
    ) -> None:
        """Until `count` requests (of `kind`) started after `since` were answered (by
        `upstream`)."""

        def enough() -> bool:
            done = [
                r
                for r in self.snapshot()
                if r.started >= since and not r.failed
                if upstream is None or upstream in r.upstream
                if kind is None or r.kind == kind
            ]
            return len(done) >= count

        wait_until(enough, f"{count} answers" + (f" from {upstream}" if upstream else ""))


def comment_form(cluster: Cluster, article_id: int) -> tuple[dict[str, str], str]:
    """The hidden fields (CSRF token included) and the CSRF cookie a reader's page gets from
    /comments/state/."""
    answer = http(f"{cluster.url}/comments/state/?article={article_id}")
    assert answer.status == 200, answer.text
    import json

    state = json.loads(answer.body)
    cookie = answer.headers.get("set-cookie", "")
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    return {**state["fields"], "csrfmiddlewaretoken": state["csrf"]}, token
