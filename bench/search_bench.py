"""Search and recommendation benchmark: kanwu's index against LIKE '%word%'.

For each database (SQLite, PostgreSQL) in a fresh database: generate N demo articles
(~1,500 characters each) with the demo builder, build the search index (time and size),
then time 1,000 sampled queries through the search backend exactly as the search page runs
them (count + first page of 10, relevance order, through public_articles()) and the same
queries as LIKE '%word%' over the article table (count + first page, newest first), and
finally compute every article's recommendations.

    python bench/search_bench.py                       # 100,000 articles, both databases
    python bench/search_bench.py --articles 20000 --databases sqlite
    make bench-search BENCH_ARGS="--articles 20000"

PostgreSQL: --postgres-url names a server; the database `kanwu_bench` is dropped and created
there. Results are printed and written to bench/results/search-<database>-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    """Runs inside a child process whose environment already names the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kanwu.articles.models import ArticlePage
    from kanwu.articles.recommendations import recommendations_rebuild
    from kanwu.articles.selectors import public_articles
    from kanwu.core import analysis
    from kanwu.core.analysis import parse_query
    from kanwu.demo.builder import COLUMNS, ColumnSpec, create_articles
    from kanwu.search.backends import get_backend
    from kanwu.search.indexing import search_rebuild
    from kanwu.site.models import HomePage

    result: dict[str, Any] = {"database": connection.vendor, "articles": args.articles}
    call_command("migrate", verbosity=0)
    home = HomePage.objects.get()

    from kanwu.columns.models import ColumnPage

    columns: list[tuple[ColumnPage, str]] = []

    def add(parent: Any, spec: ColumnSpec) -> None:
        column = ColumnPage(title=spec.title, slug=spec.slug)
        parent.add_child(instance=column)
        columns.append((column, spec.topic))
        for child in spec.children:
            add(column, child)

    for spec in COLUMNS:
        add(home, spec)

    def say(message: str) -> None:
        print(f"[{connection.vendor}] {message}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    create_articles(
        random.Random(args.seed),
        columns,
        [],
        args.articles,
        lambda done: done % 10000 == 0 and say(f"generated {done}"),
    )
    result["generate_s"] = round(time.perf_counter() - start, 1)
    with connection.cursor() as cursor:  # bulk inserts leave the planner without statistics
        cursor.execute("ANALYZE")
    say(f"generated {args.articles} articles in {result['generate_s']} s")

    start = time.perf_counter()
    search_rebuild(
        progress=lambda done, total: done % 10000 == 0 and say(f"indexed {done}/{total}")
    )
    result["index_build_s"] = round(time.perf_counter() - start, 1)
    backend = get_backend()
    size = backend.index_size()
    result["index_size_mb"] = round(size / 2**20, 1) if size else None
    say(f"index built in {result['index_build_s']} s, {result['index_size_mb']} MB")

    # Queries: words and arbitrary 1-4 character spans from random articles.
    rng = random.Random(args.seed + 1)
    sample = list(
        ArticlePage.objects.order_by("?").values_list("title", "body")[: args.queries]
        if connection.vendor == "postgresql"
        else ArticlePage.objects.filter(
            pk__in=rng.sample(
                list(ArticlePage.objects.values_list("pk", flat=True)),
                min(args.queries, args.articles),
            )
        ).values_list("title", "body")
    )
    queries: list[str] = []
    for title, body in sample:
        text = analysis.fold(title + body.replace("<p>", "").replace("</p>", ""))
        if rng.random() < 0.5:
            words = [w for w in analysis.words(text) if not w.isascii()]
            queries.append(rng.choice(words))
        else:
            runs = [r for r in analysis.tokens(text) if not r.isascii() and len(r) >= 4]
            run = rng.choice(runs)
            length = rng.choice((1, 2, 3, 4))
            begin = rng.randrange(len(run) - length + 1)
            queries.append(run[begin : begin + length])
    while len(queries) < args.queries:
        queries.append(rng.choice(queries))
    result["queries"] = len(queries)

    ours: list[float] = []
    totals: list[int] = []
    for query in queries:
        parsed = parse_query(query)
        begin = time.perf_counter()
        page = backend.search(parsed, candidates=public_articles(), limit=10)
        ours.append(time.perf_counter() - begin)
        totals.append(page.total)
    say(f"search p50 {_ms(statistics.median(ours))} ms p95 {_ms(_percentile(ours, 0.95))} ms")

    table = ArticlePage._meta.db_table
    page_table = "wagtailcore_page"
    like_where = (
        f"FROM {table} a JOIN {page_table} p ON p.id = a.page_ptr_id "
        "WHERE p.live AND (p.title LIKE %s OR a.body LIKE %s)"
    )
    like: list[float] = []
    like_queries = queries[: args.like_queries] if args.like_queries else queries
    with connection.cursor() as cursor:
        for query in like_queries:
            pattern = f"%{query}%"
            begin = time.perf_counter()
            cursor.execute(f"SELECT count(*) {like_where}", [pattern, pattern])
            cursor.fetchall()
            cursor.execute(
                f"SELECT a.page_ptr_id {like_where} ORDER BY a.published_at DESC LIMIT 10",
                [pattern, pattern],
            )
            cursor.fetchall()
            like.append(time.perf_counter() - begin)
    say(f"LIKE p50 {_ms(statistics.median(like))} ms p95 {_ms(_percentile(like, 0.95))} ms")

    result.update(
        search_p50_ms=_ms(statistics.median(ours)),
        search_p95_ms=_ms(_percentile(ours, 0.95)),
        search_max_ms=_ms(max(ours)),
        median_hits=statistics.median(totals),
        like_queries=len(like),
        like_p50_ms=_ms(statistics.median(like)),
        like_p95_ms=_ms(_percentile(like, 0.95)),
    )
    result["p50_speedup"] = round(result["like_p50_ms"] / max(result["search_p50_ms"], 0.01), 1)
    result["p95_speedup"] = round(result["like_p95_ms"] / max(result["search_p95_ms"], 0.01), 1)

    if not args.skip_recommendations:
        start = time.perf_counter()
        recommendations_rebuild(
            progress=lambda stage, done, total: done % 10000 == 0 and say(f"{stage} {done}/{total}")
        )
        result["recommendations_s"] = round(time.perf_counter() - start, 1)
        say(f"recommendations in {result['recommendations_s']} s")
    return result


def _postgres_database(url: str, name: str) -> str:
    """Drop and create `name` on the server of `url`; returns its URL."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument(
        "--like-queries", type=int, default=0, help="time LIKE on the first N queries (0: all)"
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-recommendations", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(run_one(args)))
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = []
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix="kanwu-bench-") as data_dir:
            env = {
                **os.environ,
                "KANWU_DATA_DIR": data_dir,
                "DJANGO_SETTINGS_MODULE": "kanwu.settings.base",
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
                ),
            }
            if database == "postgres":
                env["DATABASE_URL"] = _postgres_database(args.postgres_url, "kanwu_bench")
            else:
                env["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
            command = [sys.executable, __file__, *sys.argv[1:], "--child", database]
            done = subprocess.run(
                command,
                env=env,
                capture_output=False,
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        out = RESULTS / f"search-{database}-{args.articles}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        summary.append(result)

    print(
        "| database | articles | index build s | index MB | search p50/p95 ms | LIKE p50/p95 ms | p50 × | recommendations s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in summary:
        print(
            f"| {r['database']} | {r['articles']} | {r['index_build_s']} | {r['index_size_mb']} "
            f"| {r['search_p50_ms']}/{r['search_p95_ms']} | {r['like_p50_ms']}/{r['like_p95_ms']} "
            f"(n={r['like_queries']}) | {r['p50_speedup']} | {r.get('recommendations_s', '-')} |"
        )


if __name__ == "__main__":
    main()
