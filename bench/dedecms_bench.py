"""DedeCMS import benchmark: `kanwu import-dedecms` of a generated site, in items per second.

The site comes from the tests' generator (tests/importer/dedecms/site.py: DedeCMS 5.7's own
table definitions, text from kanwu's demo generator): N articles in three columns, two
comments each, no images. For each source (a SQL dump in utf8 and in gbk; the MariaDB database
on 127.0.0.1:3306 in gbk, when one answers), in a fresh data dir and SQLite database (or
PostgreSQL with --database postgres): migrate, then time `dedecms_import` as the command runs
it (settings.base: background work such as search indexing is queued as tasks, not run).

    python bench/dedecms_bench.py                    # 1,000 articles, dump utf8/gbk + MariaDB
    python bench/dedecms_bench.py --articles 200 --sources dump-utf8

Results are printed and written to bench/results/dedecms-<database>-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
POSTGRES_DATABASE = "kanwu_dedebench"
MARIADB_DATABASE = "kanwu_dedebench"


def run_one(args: argparse.Namespace, source: str, folder: Path) -> dict[str, Any]:
    """Runs inside a child process whose environment already names the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kanwu.importer.dedecms.importer import dedecms_import
    from tests.importer.dedecms.site import (
        dump_write,
        mariadb_answers,
        mariadb_build,
        mariadb_drop,
        site_generate,
    )

    call_command("migrate", verbosity=0)
    site = site_generate(args.articles, comments=args.comments)
    kind, _, charset = source.partition("-")
    if kind == "dump":
        target = str(dump_write(site, folder / f"site-{charset}.sql", charset=charset))
    elif mariadb_answers():
        target = mariadb_build(site, MARIADB_DATABASE, charset=charset)
    else:
        return {"source": source, "skipped": "no MariaDB on 127.0.0.1:3306"}
    started = time.perf_counter()
    cpu = time.process_time()
    report = dedecms_import(source=target)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    if kind == "mysql":
        mariadb_drop(MARIADB_DATABASE)
    counts = {kind: dict(counter) for kind, counter in report.counts.items()}
    articles = counts.get("article", {}).get("imported", 0)
    comments = counts.get("comment", {}).get("imported", 0)
    items = articles + comments + counts.get("column", {}).get("imported", 0)
    return {
        "source": source,
        "database": connection.vendor,
        "articles": articles,
        "comments": comments,
        "items": items,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "items_per_second": round(items / seconds, 1),
        "articles_per_second": round(articles / seconds, 1),
        "errors": report.errors[:5],
    }


def _postgres_database(url: str, name: str) -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _run(source: str, data_dir: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {
        **os.environ,
        "KANWU_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "kanwu.settings.base",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("REDIS_URL", None)
    if args.database == "postgres":
        env["DATABASE_URL"] = _postgres_database(args.postgres_url, POSTGRES_DATABASE)
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    command = [sys.executable, __file__, *sys.argv[1:], "--child", source, "--folder", data_dir]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=2, help="comments per article")
    parser.add_argument("--sources", default="dump-utf8,dump-gbk,mysql-gbk")
    parser.add_argument("--database", default="sqlite", help="sqlite or postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(run_one(args, args.child, Path(args.folder)), ensure_ascii=False))
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = []
    for source in args.sources.split(","):
        with tempfile.TemporaryDirectory(prefix="kanwu-dedebench-") as tmp:
            summary.append(_run(source, tmp, args))
    out = RESULTS / f"dedecms-{args.database}-{args.articles}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print("| source | database | articles | comments | seconds (CPU) | items/s | articles/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in summary:
        if "skipped" in r:
            print(f"| {r['source']} | skipped: {r['skipped']} | | | | | |")
            continue
        print(
            f"| {r['source']} | {r['database']} | {r['articles']} | {r['comments']} "
            f"| {r['seconds']} ({r['cpu_seconds']}) | {r['items_per_second']} "
            f"| {r['articles_per_second']} |"
        )


if __name__ == "__main__":
    main()
