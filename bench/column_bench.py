"""Column benchmark: one column holding N articles, its pages 1 and 2,000, and its admin listing.

For each database (SQLite, PostgreSQL), in a fresh data dir and database: migrate, bulk-insert
N generated articles (~1,500 characters each, 80 % with one of a few covers) into one column
with the demo builder (no search index, no recommendations), then time, in this process
through Django's test client with the whole-page cache off (KANWU_PAGE_CACHE=0):

- the column's page 1 and page 2,000 as a reader gets them: the first request after the
  listing changed (`cold`, which computes what the listing keeps in Django's cache) and the
  median of the following requests (`warm`), with the number of SQL queries of one request;
- the Wagtail admin's listing of the column (/admin/pages/<id>/) as a logged-in superuser.

    python bench/column_bench.py                        # 100,000 articles, SQLite and PostgreSQL
    python bench/column_bench.py --articles 20000 --database sqlite
    make bench-columns BENCH_ARGS="--database postgres"

PostgreSQL: --postgres-url names a server; the database `kanwu_colbench` is dropped and
created there. --reuse DIR keeps the data dir (and the PostgreSQL database) between runs and
only fills them when empty, to time a code change without regenerating the articles.
Results are printed and written to bench/results/columns-<database>-<N>.json.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
COVERS = 6
POSTGRES_DATABASE = "kanwu_colbench"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _fill(articles: int, seed: int, say: Callable[[str], None]) -> Any:
    """The bench column with `articles` generated articles; made once per database."""
    import io

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from kanwu.columns.models import ColumnPage
    from kanwu.demo.builder import create_articles
    from kanwu.demo.covers import make_cover
    from kanwu.site.models import HomePage

    column = ColumnPage.objects.filter(slug="archive").first()
    if column is not None:
        say(f"reusing column {column.pk} with {column.numchild} articles")
        _add_revisions(column, say)
        return column
    rng = random.Random(seed)
    covers = []
    for number in range(COVERS):
        image = get_image_model()(title=f"封面 {number}")
        image.file = ImageFile(io.BytesIO(make_cover(rng)), name=f"cover-{number}.jpg")
        image.save()
        covers.append(image.pk)
    column = ColumnPage(title="档案", slug="archive")
    HomePage.objects.get().add_child(instance=column)
    start = time.perf_counter()
    create_articles(
        rng,
        [(column, "history")],
        covers,
        articles,
        lambda done: done % 10000 == 0 and say(f"generated {done}"),
    )
    say(f"generated {articles} articles in {time.perf_counter() - start:.0f} s")
    column.refresh_from_db()
    _add_revisions(column, say)
    return column


def _add_revisions(column: Any, say: Callable[[str], None]) -> None:
    """One small revision per article, as editing in the admin leaves (the bulk insert makes
    none): the admin listing sorts by its date and looks revisions up."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Page, Revision

    from kanwu.articles.models import ArticlePage

    if Revision.objects.exists():
        return
    start = time.perf_counter()
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    pages = Page.objects.child_of(column).values_list("pk", "title", "first_published_at")
    with transaction.atomic():
        for begin in range(0, column.numchild, 5000):
            Revision.objects.bulk_create(
                Revision(
                    content_type=article_type, base_content_type=page_type, object_id=str(pk),
                    created_at=published, object_str=title, content={"title": title},
                )
                for pk, title, published in pages[begin : begin + 5000]
            )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE wagtailcore_page SET latest_revision_id = r.id, live_revision_id = r.id, "
                "latest_revision_created_at = r.created_at FROM wagtailcore_revision r "
                "WHERE r.object_id = CAST(wagtailcore_page.id AS varchar(255))"
            )
    # Bulk inserts leave the planner without statistics (and PostgreSQL's index-only scans
    # without a visibility map), as autovacuum would fix a minute later.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    say(f"added {Revision.objects.count()} revisions in {time.perf_counter() - start:.0f} s")


def _time(client: Any, url: str, runs: int) -> dict[str, Any]:
    """Cold (first) request, then the median and fastest of `runs` more (and their median
    CPU time in this process, steadier than wall time on a shared machine), and one more
    request's queries and their time in the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return response

    begin = time.perf_counter()
    response = get()
    cold = time.perf_counter() - begin
    times, cpu = [], []
    for _ in range(runs):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = get()
        times.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    with CaptureQueriesContext(connection) as queries:
        get()
    return {
        "cold_ms": _ms(cold),
        "warm_ms": _ms(statistics.median(times)),
        "warm_min_ms": _ms(min(times)),
        "warm_cpu_ms": _ms(statistics.median(cpu)),  # this process only: not PostgreSQL's
        "queries": len(queries),
        "sql_ms": round(sum(float(query["time"]) for query in queries.captured_queries) * 1000, 1),
        "bytes": len(response.content),
    }


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    """Runs inside a child process whose environment already names the database."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    def say(message: str) -> None:
        print(f"[{connection.vendor}] {message}", file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    column = _fill(args.articles, args.seed, say)
    result: dict[str, Any] = {"database": connection.vendor, "articles": args.articles}

    reader = Client()
    url = column.url
    reader.get(f"{url}?page=2")  # templates compiled, cover renditions made
    for label, page in (("page_1", 1), (f"page_{args.page}", args.page)):
        cache.clear()  # the listing just changed: nothing kept about it
        result[label] = _time(reader, f"{url}?page={page}" if page > 1 else url, args.runs)
        say(f"{label}: {result[label]}")

    admin = get_user_model().objects.filter(username="bench").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench", "bench@example.cn", "bench")
    editor = Client()
    editor.force_login(admin)
    result["admin_listing"] = _time(editor, f"/admin/pages/{column.pk}/", max(3, args.runs // 4))
    say(f"admin listing: {result['admin_listing']}")
    return result


def _postgres_database(url: str, name: str, *, reuse: bool) -> str:
    """Create `name` on the server of `url` (dropped first unless reused); returns its URL."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}"')
        if not exists or not reuse:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _run(database: str, data_dir: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {
        **os.environ,
        "KANWU_DATA_DIR": data_dir,
        "KANWU_PAGE_CACHE": "0",
        "KANWU_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "kanwu.settings.base",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("REDIS_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = _postgres_database(
            args.postgres_url, POSTGRES_DATABASE, reuse=bool(args.reuse)
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    command = [sys.executable, __file__, *sys.argv[1:], "--child", database]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--page", type=int, default=2000, help="the deep page to time")
    parser.add_argument("--runs", type=int, default=21, help="warm requests per URL")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", metavar="DIR", help="keep the data here between runs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(run_one(args)))
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = []
    for database in args.database.split(","):
        if args.reuse:
            data_dir = Path(args.reuse) / database
            data_dir.mkdir(parents=True, exist_ok=True)
            result = _run(database, str(data_dir), args)
        else:
            with tempfile.TemporaryDirectory(prefix="kanwu-colbench-") as tmp:
                result = _run(database, tmp, args)
        out = RESULTS / f"columns-{database}-{args.articles}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        summary.append(result)

    deep = f"page_{args.page}"
    print(
        f"| database | articles | page 1 ms: median, CPU, cold | page {args.page} ms: median, "
        "CPU, cold | queries p1 / deep (SQL ms) | admin listing ms: median, CPU (queries, SQL ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|")

    def times(row: dict[str, Any]) -> str:
        return f"{row['warm_ms']}, {row['warm_cpu_ms']}, {row['cold_ms']}"

    for r in summary:
        first, second, admin = r["page_1"], r[deep], r["admin_listing"]
        print(
            f"| {r['database']} | {r['articles']} | {times(first)} | {times(second)} "
            f"| {first['queries']} / {second['queries']} "
            f"({first['sql_ms']} / {second['sql_ms']}) "
            f"| {admin['warm_ms']}, {admin['warm_cpu_ms']} ({admin['queries']}, {admin['sql_ms']}) |"
        )


if __name__ == "__main__":
    main()
