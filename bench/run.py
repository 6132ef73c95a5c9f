"""`make bench`: kanwu against nginx serving the same pages, on one machine, in one run.

Servers run pinned to core 0 and wrk to core 1, so figures are comparable within a run.
Environment: BENCH_ARTICLES (10000), BENCH_SECONDS per scenario (10), BENCH_CONNECTIONS (32),
BENCH_REPEATS (3: uncached scenarios run this many times and report the run with the median
CPU time per request, as CPU time on a shared virtual machine drifts from minute to minute;
each page's nginx reference and static export take turns as often and report the median
requests/s),
BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432/kanwu_bench; "0" to skip) and BENCH_REDIS
(redis://127.0.0.1:6379/13): when both answer, the same corpus is also built in PostgreSQL
and served with Redis as the page store, and measured the same way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
KANWU = [sys.executable, "-m", "kanwu.cli"]
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
SERVER_CORE, CLIENT_CORE = "0", "1"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/kanwu_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
UNCACHED = {"KANWU_PAGE_CACHE": "0"}


@dataclass
class Row:
    name: str
    url: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    nginx_ratio: float | None = None
    cpu_ms_per_request: float | None = None
    cpu_ms_runs: list[float] | None = None  # every run's CPU ms/request, when repeated
    calibration_ms: list[float] | None = None  # `calibrate()` just before each of those runs
    rps_runs: list[float] | None = None  # nginx rows: every run's requests/s, in the order run


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KANWU_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(KANWU_DATA_DIR=str(data_dir), KANWU_ALLOWED_HOSTS="127.0.0.1,localhost")
    env.update(extra)
    return env


def kanwu(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([*KANWU, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"kanwu {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def fresh_postgres_and_redis() -> dict[str, str] | None:
    """Settings for a PostgreSQL + Redis run on an emptied database and Redis db, or None."""
    if POSTGRES == "0" or not (answers("127.0.0.1", 5432) and answers("127.0.0.1", 6379)):
        return None
    import psycopg
    import redis

    database = POSTGRES.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    redis.Redis.from_url(REDIS).flushdb()
    return {"DATABASE_URL": POSTGRES, "REDIS_URL": REDIS}


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        return bytes(response.read())


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    return cpu_seconds_of(tree(pid))


def cpu_seconds_of(pids: list[int]) -> float:
    """User and system CPU seconds the processes `pids` have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in pids:
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def peak_rss_mb(pid: int) -> list[float]:
    sizes = []
    for member in tree(pid)[1:] or [pid]:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        if match := re.search(r"VmHWM:\s+(\d+) kB", status):
            sizes.append(int(match.group(1)) / 1024)
    return sizes


# A fixed pure-Python workload (no I/O). Its CPU time tells how fast the server core is while
# a row is measured: on a shared virtual machine the same work's CPU time drifts by up to 2x.
CALIBRATION = """
import json, re, time
start = time.process_time()
rows = [{"id": n, "title": "标题" * (n % 7), "body": str(n) * 9} for n in range(20000)]
for _ in range(2):
    text = json.dumps(rows, ensure_ascii=False)
    sum(len(re.sub(r"[0-4]", "x", row["body"])) for row in json.loads(text))
print((time.process_time() - start) * 1000)
"""


def calibrate() -> float:
    """CPU ms of CALIBRATION on the server core, now."""
    command = ["taskset", "-c", SERVER_CORE, sys.executable, "-c", CALIBRATION]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return round(float(out.strip()), 1)


def wrk(url: str) -> tuple[float, float, float, int, int]:
    command = [
        "taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s",
        # wrk counts a response slower than its 2 s default as an error; uncached pages at
        # 32 connections queue longer than that without anything failing.
        "--timeout", "30s", "--latency", "-H", "Accept-Encoding: identity", url,
    ]  # fmt: skip
    return wrk_figures(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def wrk_figures(out: str) -> tuple[float, float, float, int, int]:
    """requests/s, p50 and p99 ms, errors and requests from wrk's --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]

    def percentile(name: str) -> float:
        match = re.search(rf"{name}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(g) for g in match.groups())
    return rps, percentile("50"), percentile("99"), errors, total


def start_nginx(
    ref: Path, export: Path, ref_port: int, export_port: int, app_port: int
) -> subprocess.Popen[bytes]:
    """nginx with two servers: the reference (plain files: the very bytes kanwu sent) and
    the static export served through deploy/nginx.conf's rules."""
    params = WORK / "kanwu_proxy_params"
    shutil.copy(ROOT / "deploy" / "kanwu_proxy_params", params)
    headers = WORK / "kanwu_security_headers"
    shutil.copy(ROOT / "deploy" / "kanwu_security_headers", headers)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = (
        site.replace("/etc/nginx/kanwu_proxy_params", str(params))
        .replace("/etc/nginx/kanwu_security_headers", str(headers))
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
        .replace("listen 80;", f"listen 127.0.0.1:{export_port};")
        .replace("root /srv/kanwu/html;", f"root {export};")
        .replace("/srv/kanwu/var/media/", str(WORK / "data" / "media") + "/")
    )
    (WORK / "site.conf").write_text(site)
    conf = WORK / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {WORK}/nginx.pid;
error_log {WORK}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{ref_port};
        root {ref};
        default_type text/html;
        # The same descriptor cache as deploy/nginx.conf: nginx at its best with these bytes.
        open_file_cache max=1000 inactive=60s;
        open_file_cache_valid 1s;
    }}
    include {WORK}/site.conf;
}}
""")
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, "nginx", "-c", str(conf), "-p", str(WORK)]
    )
    wait_for(f"http://127.0.0.1:{export_port}/")
    return process


def start_kanwu(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, *KANWU, "serve", "--port", str(port), "--workers", "1",
         "--no-worker", "--skip-collectstatic"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/")
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def pick_urls(env: dict[str, str]) -> dict[str, str]:
    script = (
        "import json\n"
        "from kanwu.articles.selectors import public_articles\n"
        "from kanwu.columns.models import ColumnPage\n"
        "from kanwu.columns.models import ARTICLES_PER_PAGE\n"
        "a = public_articles().newest_first()[ARTICLES_PER_PAGE * 3]\n"
        "c = max(ColumnPage.objects.live(), key=lambda c: public_articles().in_column(c).count())\n"
        "n = public_articles().in_column(c).count() // ARTICLES_PER_PAGE\n"
        "print(json.dumps({'article': a.url, 'column': c.url, 'deep': f'{c.url}?page={min(500, n)}'}))\n"
    )
    return dict(json.loads(kanwu(env, "shell", "-c", script).strip().splitlines()[-1]))


def measure(
    label: str, server: subprocess.Popen[bytes], port: int, paths: dict[str, str],
    reference: dict[str, float], repeats: int = 1,
) -> list[Row]:  # fmt: skip
    rows = []
    for name, path in paths.items():
        url = f"http://127.0.0.1:{port}{path}"
        fetch(url)  # warm: fills the cache, makes image renditions
        runs, speed = [], []
        for _ in range(repeats):
            if repeats > 1:
                speed.append(calibrate())
            before = cpu_seconds(server.pid)
            rps, p50, p99, errors, total = wrk(url)
            cpu = (cpu_seconds(server.pid) - before) * 1000 / max(total, 1)
            runs.append(
                Row(f"{label}: {name}", path, rps, p50, p99, errors, rps / reference[name], cpu)
            )
        order = sorted(range(repeats), key=lambda i: runs[i].cpu_ms_per_request or 0.0)
        chosen = runs[order[len(order) // 2]]
        if repeats > 1:
            chosen.cpu_ms_runs = [round(row.cpu_ms_per_request or 0.0, 2) for row in runs]
            chosen.calibration_ms = speed
        rows.append(chosen)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | URL | req/s | p50 ms | p99 ms | errors | × nginx | CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = f"{r.nginx_ratio:.0%}" if r.nginx_ratio is not None else ""
        cpu = f"{r.cpu_ms_per_request:.2f}" if r.cpu_ms_per_request is not None else ""
        lines.append(
            f"| {r.name} | {r.url} | {r.requests_per_s:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
            f"| {r.errors} | {ratio} | {cpu} |"
        )
    return "\n".join(lines)


def runs_note(rows: list[Row]) -> str:
    """Every run of the repeated rows, each with how fast the server core was just before it."""
    lines = []
    if nginx := [r for r in rows if r.rps_runs]:
        lines.append(
            f"\n\nnginx rows are the median of {REPEATS} runs by requests/s, reference and "
            "export taking turns. Every run's requests/s, in the order run:"
        )
        lines += [
            f"- {r.name}: " + ", ".join(f"{rps:,.0f}" for rps in r.rps_runs or []) for r in nginx
        ]
    repeated = [r for r in rows if r.cpu_ms_runs]
    if not repeated:
        return "\n".join(lines)
    lines += [
        f"\n\nUncached rows are the median of {REPEATS} runs by CPU time. Every run's CPU "
        "ms/req, in the order run, with (in brackets) the CPU ms of a fixed Python workload on "
        "the server core just before it, which shows how fast the core was then:"
    ]
    for r in repeated:
        pairs = zip(r.cpu_ms_runs or [], r.calibration_ms or [], strict=True)
        lines.append(f"- {r.name}: " + ", ".join(f"{cpu} ({speed})" for cpu, speed in pairs))
    return "\n".join(lines)


def main() -> None:
    for tool in ("nginx", "wrk", "taskset"):
        if not shutil.which(tool):
            sys.exit(
                f"{tool} is missing: run 'make bench-deps' (Debian: apt-get install nginx wrk)"
            )
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    data, export = WORK / "data", WORK / "html"
    env = env_for(data)
    timings: dict[str, float] = {}

    log(f"building a corpus of {ARTICLES} articles")
    started = time.monotonic()
    kanwu(env, "migrate", "--noinput", "-v0")
    kanwu(env, "demo", "--articles", str(ARTICLES))
    timings["corpus_s"] = time.monotonic() - started
    kanwu(env, "collectstatic", "--noinput", "-v0")
    started = time.monotonic()
    kanwu(env, "publish-static", str(export), "--skip-collectstatic")
    timings["static_export_s"] = time.monotonic() - started
    log(f"corpus {timings['corpus_s']:.0f} s, static export {timings['static_export_s']:.0f} s")
    urls = pick_urls(env)
    paths = {"article": urls["article"], "home": "/", "column p1": urls["column"],
             "column deep": urls["deep"], "search": "/search/?q=%E7%BB%9F%E6%88%98"}  # fmt: skip

    rows: list[Row] = []
    ref_port, export_port, cached_port, uncached_port = (free_port() for _ in range(4))
    ref = WORK / "ref"
    ref.mkdir()
    rss: dict[str, list[float]] = {}
    reference: dict[str, float] = {}

    cached = start_kanwu(env_for(data), cached_port)
    try:
        # The reference: nginx sending, as a plain file, the very bytes kanwu answers with.
        for number, path in enumerate(paths.values()):
            (ref / f"{number}.html").write_bytes(fetch(f"http://127.0.0.1:{cached_port}{path}"))
        nginx = start_nginx(ref, export, ref_port, export_port, cached_port)
        try:
            # Each page's reference and export take turns, REPEATS runs each, so both see the
            # same machine; each reports its run with the median requests/s.
            for number, (name, path) in enumerate(paths.items()):
                targets = {"nginx file (reference)": f"http://127.0.0.1:{ref_port}/{number}.html"}
                if name != "search":  # not part of the static export: nginx passes it on
                    targets["nginx static export"] = f"http://127.0.0.1:{export_port}{path}"
                runs: dict[str, list[tuple[float, float, float, int, int]]] = {
                    kind: [] for kind in targets
                }
                for _ in range(REPEATS):
                    for kind, url in targets.items():
                        runs[kind].append(wrk(url))
                for kind, results in runs.items():
                    rps, p50, p99, errors, _ = sorted(results)[len(results) // 2]
                    reference.setdefault(name, rps)  # the reference comes first
                    ratio = rps / reference[name]
                    row = Row(f"{kind}: {name}", path, rps, p50, p99, errors, ratio)
                    row.rps_runs = [round(result[0]) for result in results]
                    rows.append(row)
        finally:
            stop(nginx)
        rows += measure("kanwu cached", cached, cached_port, paths, reference)
        rss["kanwu cached"] = peak_rss_mb(cached.pid)
    finally:
        stop(cached)

    uncached = start_kanwu(env_for(data, **UNCACHED), uncached_port)
    try:
        rows += measure("kanwu uncached", uncached, uncached_port, paths, reference, REPEATS)
        rss["kanwu uncached"] = peak_rss_mb(uncached.pid)
    finally:
        stop(uncached)

    if (scale_out := fresh_postgres_and_redis()) is not None:
        log(f"building the same corpus in PostgreSQL ({POSTGRES}), Redis page store")
        pg_data = WORK / "data-pg"
        pg_env = env_for(pg_data, **scale_out)
        started = time.monotonic()
        kanwu(pg_env, "migrate", "--noinput", "-v0")
        kanwu(pg_env, "demo", "--articles", str(ARTICLES))
        timings["corpus_postgres_s"] = time.monotonic() - started
        kanwu(pg_env, "collectstatic", "--noinput", "-v0")
        pg_urls = pick_urls(pg_env)
        pg_paths = {**paths, "article": pg_urls["article"], "column p1": pg_urls["column"],
                    "column deep": pg_urls["deep"]}  # fmt: skip
        for label, extra in (("pg+redis cached", {}), ("pg+redis uncached", UNCACHED)):
            port = free_port()
            server = start_kanwu(env_for(pg_data, **scale_out, **extra), port)
            try:
                repeats = REPEATS if extra else 1
                rows += measure(label, server, port, pg_paths, reference, repeats)
                rss[label] = peak_rss_mb(server.pid)
            finally:
                stop(server)
    else:
        log("PostgreSQL or Redis not answering on 127.0.0.1: SQLite only")

    report = {
        "articles": ARTICLES,
        "seconds_per_scenario": SECONDS,
        "connections": CONNECTIONS,
        "timings": timings,
        "peak_rss_mb_per_worker": rss,
        "rows": [asdict(r) for r in rows],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    text = table(rows)
    text += runs_note(rows)
    rss_line = "; ".join(f"{k}: {', '.join(f'{v:.0f}' for v in vs)} MB" for k, vs in rss.items())
    summary = (
        f"# kanwu bench, {ARTICLES} articles, {report['when']}\n\n{text}\n\n"
        f"Corpus build {timings['corpus_s']:.0f} s"
        + (f" (PostgreSQL {pg:.0f} s)" if (pg := timings.get("corpus_postgres_s")) else "")
        + f"; static export {timings['static_export_s']:.0f} s; "
        f"peak RSS per worker: {rss_line}.\n"
    )
    print(summary)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (RESULTS / f"bench-{stamp}.md").write_text(summary)


if __name__ == "__main__":
    main()
