"""Cluster scenario of `make bench`: two app servers behind nginx against one, on PostgreSQL
and Redis, in the cluster `make test-cluster` starts (tests/cluster/harness.py: network
namespaces, a private PostgreSQL and Redis, a worker, deploy/nginx.conf).

Every request goes through nginx to the app servers (a query string nginx does not serve
from the export): cache hits (`?utm_source=bench`, a tracking parameter the page cache
ignores) and uncached pages (`?bench=1`, which no cached copy may answer), for the home
page and an article. Each is measured with both servers in nginx's upstream, then with a
second nginx whose upstream is server A alone, in the same cluster and the same minute.

The figure that matters on a shared 2-core machine is not requests/s (wrk, nginx, both
servers, PostgreSQL and Redis share the same two cores) but the app servers' CPU per request,
read from /proc for every process of each server: requests per app-server CPU-second is what
one more core buys. `cost` is the cluster's CPU per request over the single server's.

    python bench/cluster_bench.py        # or: make bench-cluster; make bench runs it last
Environment: BENCH_SECONDS (10) per row, BENCH_CONNECTIONS (32).
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from run import cpu_seconds_of, wrk_figures

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the harness lives with the tests

from tests.cluster.harness import (  # noqa: E402
    HOST,
    Cluster,
    Process,
    Unavailable,
    cluster,
    free_port,
    http,
    run,
    wait_until,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
RESULTS = ROOT / "bench" / "results"
QUERIES = {"cache hit": "?utm_source=bench", "uncached": "?bench=1"}


@dataclass
class ClusterRow:
    setup: str  # "2 servers" or "1 server"
    page: str
    kind: str  # "cache hit" or "uncached"
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    app_cpu_ms_per_request: float
    by_server: dict[str, float]  # each server's share of the app CPU: how nginx spread the load

    @property
    def per_core(self) -> float:
        """Requests per app-server CPU-second."""
        return 1000 / self.app_cpu_ms_per_request if self.app_cpu_ms_per_request else 0.0


def cpu_seconds(processes: list[Process]) -> float:
    return cpu_seconds_of([pid for process in processes for pid in process.pids()])


def wrk(url: str) -> tuple[float, float, float, int, int]:
    return wrk_figures(
        run(
            "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "30s", "--latency",
            "-H", f"Host: {HOST}", "-H", "Accept-Encoding: identity", url,
        ).stdout
    )  # fmt: skip


def single_server_nginx(setup: Cluster) -> tuple[Process, int]:
    """A second nginx, the same configuration with server A alone in the upstream."""
    both, port = setup.servers, setup.nginx_port
    setup.servers, setup.nginx_port = both[:1], free_port()
    try:
        run_dir = setup.root / "nginx-single"
        run_dir.mkdir()
        conf = setup.nginx_conf().replace(str(setup.root / "nginx"), str(run_dir))
        single_port = setup.nginx_port
    finally:
        setup.servers, setup.nginx_port = both, port
    (run_dir / "nginx.conf").write_text(conf)
    nginx = Process("nginx (server A only)", ["nginx", "-c", str(run_dir / "nginx.conf")],
                    dict(os.environ), run_dir / "out.log")  # fmt: skip
    nginx.start()

    def answers() -> bool:
        try:
            return http(f"http://127.0.0.1:{single_port}/healthz").status == 200
        except OSError:
            return False

    try:
        wait_until(answers, "the single-server nginx")
    except BaseException:
        nginx.kill()  # the cluster's stop() does not know this one
        raise
    return nginx, single_port


def measure(setup: Cluster, label: str, port: int, pages: dict[str, str]) -> list[ClusterRow]:
    rows = []
    for page, path in pages.items():
        for kind, query in QUERIES.items():
            url = f"http://127.0.0.1:{port}{path}{query}"
            for _ in range(4):  # warm: each server's cache, renditions, connections
                if (status := http(url).status) != 200:
                    raise SystemExit(f"{url} answered {status}")
            before = {s.name: cpu_seconds([s.process]) for s in setup.servers}
            rps, p50, p99, errors, total = wrk(url)
            used = {s.name: cpu_seconds([s.process]) - before[s.name] for s in setup.servers}
            cpu_ms = sum(used.values()) * 1000 / max(total, 1)
            share = {name: round(cpu / (sum(used.values()) or 1), 2) for name, cpu in used.items()}
            rows.append(ClusterRow(label, page, kind, rps, p50, p99, errors, total,
                                   round(cpu_ms, 3), share))  # fmt: skip
            print(f"[bench] cluster {label}, {page}, {kind}: {rps:,.0f} req/s, "
                  f"{cpu_ms:.2f} app CPU ms/req, {errors} errors", flush=True)  # fmt: skip
    return rows


def table(rows: list[ClusterRow]) -> str:
    single = {(r.page, r.kind): r for r in rows if r.setup == "1 server"}
    lines = [
        "| setup | page | kind | req/s | p50 ms | p99 ms | errors | app CPU ms/req "
        "| req per app-server CPU-s | cost vs 1 server | app CPU share |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        base = single.get((r.page, r.kind))
        cost = (
            f"{r.app_cpu_ms_per_request / base.app_cpu_ms_per_request:.2f}×"
            if base and base.app_cpu_ms_per_request
            else ""
        )
        spread = ", ".join(f"{name} {share:.0%}" for name, share in sorted(r.by_server.items()))
        lines.append(
            f"| {r.setup} | {r.page} | {r.kind} | {r.requests_per_s:,.0f} | {r.p50_ms:.2f} "
            f"| {r.p99_ms:.2f} | {r.errors} | {r.app_cpu_ms_per_request:.3f} "
            f"| {r.per_core:,.0f} | {cost} | {spread} |"
        )
    return "\n".join(lines)


def bench() -> tuple[list[ClusterRow], dict[str, object]] | str:
    """The rows and the cluster's own figures, or why the machine cannot run the cluster."""
    try:
        with cluster() as setup:
            article = setup.sql(
                "SELECT p.url_path FROM wagtailcore_page p JOIN articles_articlepage a "
                "ON a.page_ptr_id = p.id WHERE p.live ORDER BY p.id LIMIT 1"
            )[0][0]
            pages = {"home": "/", "article": "/" + article.strip("/").split("/", 1)[1] + "/"}
            rows = measure(setup, "2 servers", setup.nginx_port, pages)
            nginx, port = single_server_nginx(setup)
            try:
                rows += measure(setup, "1 server", port, pages)
            finally:
                nginx.kill()
            return rows, dict(setup.figures, namespaces=setup.namespaces, notes=setup.notes)
    except Unavailable as reason:
        return str(reason)


def main() -> int:
    result = bench()
    if isinstance(result, str):
        print(f"[bench] cluster scenario NOT RUN: {result}")
        return 2
    rows, figures = result
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    summary = (
        f"# kanwu cluster bench, {when}\n\n"
        f"nginx → 2 app servers (`kanwu serve --no-worker`, 1 process × 4 threads each) on "
        f"PostgreSQL + Redis, against the same nginx with server A alone; wrk {CONNECTIONS} "
        f"connections, {SECONDS} s a row, all on this machine's {os.cpu_count()} cores.\n\n"
        f"{table(rows)}\n"
    )
    print(summary)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = {"when": when, "figures": figures, "rows": [asdict(r) for r in rows]}
    (RESULTS / f"cluster-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (RESULTS / f"cluster-{stamp}.md").write_text(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
