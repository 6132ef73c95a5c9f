"""`make bench-cache`: the page cache's bounds and its single flight, against `kanwu serve`.

Two figures, for the data-folder store and for Redis (when one answers):
- the store's size after BENCH_FLOOD (100,000) requests of one article with distinct tracking
  parameters (`?utm_source=<uuid>`), then as many with an unknown parameter, sent over
  keep-alive connections by BENCH_CLIENTS (8) threads;
- how many renders of the home page 200 concurrent readers cause right after a publish
  purged it (each render is answered `X-Kanwu-Cache: MISS`; the goal is 1), in
  BENCH_PUBLISHES (5) rounds.

Results go to bench/results/cache-<time>.json. Environment: BENCH_ARTICLES (2000).
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    RESULTS,
    WORK,
    answers,
    env_for,
    free_port,
    kanwu,
    log,
    pick_urls,
    start_kanwu,
    stop,
)

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "2000"))
FLOOD = int(os.environ.get("BENCH_FLOOD", "100000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
READERS = 200
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "5"))
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")

STORE_SIZE = (
    "from kanwu.publishing.backends import get_store\n"
    "print(*get_store().size())\n"
)  # fmt: skip
REPUBLISH = (
    "from kanwu.articles.selectors import public_articles\n"
    "a = public_articles().newest_first().first().specific\n"
    "a.title = a.title + '·'\n"
    "a.save_revision().publish()\n"
)  # fmt: skip


def flood(port: int, paths: list[str]) -> dict[str, int]:
    """GET every path over CLIENTS keep-alive connections; count answers by cache header."""
    counts: dict[str, int] = {}
    lock = threading.Lock()

    def client(part: list[str]) -> None:
        local: dict[str, int] = {}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in part:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            key = f"{response.status} {response.getheader('X-Kanwu-Cache') or '-'}"
            local[key] = local.get(key, 0) + 1
        connection.close()
        with lock:
            for key, value in local.items():
                counts[key] = counts.get(key, 0) + value

    parts = [paths[n::CLIENTS] for n in range(CLIENTS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, parts))
    return counts


def store_size(env: dict[str, str]) -> tuple[int, int]:
    entries, size = kanwu(env, "shell", "-c", STORE_SIZE).split()[-2:]
    return int(entries), int(size)


def readers_after_publish(env: dict[str, str], port: int) -> list[dict[str, int]]:
    rounds = []
    for _ in range(PUBLISHES):
        kanwu(env, "shell", "-c", REPUBLISH)  # commits, then purges the home page
        barrier = threading.Barrier(READERS)

        def read(_: int, barrier: threading.Barrier = barrier) -> str:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            barrier.wait()
            connection.request("GET", "/")
            response = connection.getresponse()
            response.read()
            connection.close()
            return f"{response.status} {response.getheader('X-Kanwu-Cache') or '-'}"

        with ThreadPoolExecutor(READERS) as pool:
            answers_seen = list(pool.map(read, range(READERS)))
        rounds.append({key: answers_seen.count(key) for key in sorted(set(answers_seen))})
        log(f"  200 readers after a publish: {rounds[-1]}")
    return rounds


def scenario(name: str, env: dict[str, str]) -> dict[str, object]:
    port = free_port()
    server = start_kanwu(env, port)
    try:
        article = pick_urls(env)["article"]
        started = time.monotonic()
        tracking = flood(port, [f"{article}?utm_source={uuid.uuid4()}" for _ in range(FLOOD)])
        tracking_s = time.monotonic() - started
        after_tracking = store_size(env)
        log(f"{name}: {FLOOD} tracking URLs in {tracking_s:.0f} s {tracking}: {after_tracking}")
        started = time.monotonic()
        unknown = flood(port, [f"{article}?x={uuid.uuid4()}" for _ in range(FLOOD // 10)])
        unknown_s = time.monotonic() - started
        after_unknown = store_size(env)
        log(f"{name}: {FLOOD // 10} unknown-parameter URLs {unknown}: {after_unknown}")
        renders = readers_after_publish(env, port)
    finally:
        stop(server)
    return {
        "store": name,
        "tracking_requests": FLOOD,
        "tracking_answers": tracking,
        "tracking_seconds": round(tracking_s, 1),
        "entries_and_bytes_after_tracking": after_tracking,
        "unknown_requests": FLOOD // 10,
        "unknown_answers": unknown,
        "unknown_seconds": round(unknown_s, 1),
        "entries_and_bytes_after_unknown": after_unknown,
        "home_answers_per_publish": renders,
    }


def main() -> None:
    data = WORK / "cache-bench"
    env = env_for(data, KANWU_STATIC_DIR="0")
    if not (data / "kanwu.sqlite3").exists():
        data.mkdir(parents=True, exist_ok=True)
        log(f"building a {ARTICLES}-article demo in {data}")
        kanwu(env, "migrate", "--noinput", "-v0")
        kanwu(env, "demo", "--articles", str(ARTICLES))
        kanwu(env, "collectstatic", "--noinput", "-v0")
    results = [scenario("files", env)]
    if answers("127.0.0.1", 6379):
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        with_redis = {**env, "REDIS_URL": REDIS}
        kanwu(with_redis, "migrate", "--noinput", "-v0")  # the RQ apps' tables
        results.append(scenario("redis", with_redis))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"cache-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    log(f"written {out}")


if __name__ == "__main__":
    main()
