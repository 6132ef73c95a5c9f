"""Home page benchmark: the uncached home (首页) of a site with C top columns and N articles.

The home is purged on every publish, so its uncached render is paid once per publish by the
first reader. For each database (SQLite, PostgreSQL), in a fresh data dir and database:
migrate, add C top columns, bulk-insert N generated articles round-robin into them with the
demo builder (80 % with one of a few covers), give a few of them the 推荐位 头条 (1), 幻灯 (5)
and 滚动 (8), add ten 友情链接, then time `/` in this process through Django's test client
with the whole-page cache off (KANWU_PAGE_CACHE=0): the first request, and the median wall
and CPU time of the following ones (CPU: `time.process_time`, this process only, which on
SQLite includes the database's work), with the number of SQL queries of one request.

    python bench/home_bench.py                     # 20 columns, 10,000 articles, both databases
    python bench/home_bench.py --database sqlite --columns 40
    make bench-home BENCH_ARGS="--database sqlite"

Runs against the source tree it sits in (PYTHONPATH=src), so the same script times another
checkout's home page: `PYTHONPATH=/path/to/other/src python bench/home_bench.py`.
Results are printed and written to bench/results/home-<database>-<C>x<N>.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from column_bench import _postgres_database, _time

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
COVERS = 6
POSTGRES_DATABASE = "kanwu_homebench"


def _fill(columns: int, articles: int, seed: int) -> None:
    from django.core.files.images import ImageFile
    from django.db import connection
    from wagtail.images import get_image_model

    from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
    from kanwu.columns.models import ColumnPage
    from kanwu.demo.builder import create_articles
    from kanwu.demo.covers import make_cover
    from kanwu.site.models import HomePage

    if ArticlePage.objects.exists():
        return
    rng = random.Random(seed)
    covers = []
    for number in range(COVERS):
        image = get_image_model()(title=f"封面 {number}")
        image.file = ImageFile(io.BytesIO(make_cover(rng)), name=f"cover-{number}.jpg")
        image.save()
        covers.append(image.pk)
    home = HomePage.objects.get()
    made = []
    for number in range(columns):
        column = ColumnPage(title=f"栏目{number + 1}", slug=f"column-{number + 1}")
        home.add_child(instance=column)
        made.append((column, "news"))
    create_articles(rng, made, covers, articles)
    newest = list(
        ArticlePage.objects.filter(cover__isnull=False)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:40]
    )
    slots = [(newest[0], Flag.HEADLINE)]
    slots += [(pk, Flag.SLIDESHOW) for pk in newest[1:6]]
    slots += [(pk, Flag.SCROLLING) for pk in newest[10:40:4]]
    ArticleSlot.objects.bulk_create(ArticleSlot(article_id=pk, flag=flag) for pk, flag in slots)
    try:
        from kanwu.site.models import FriendLink
    except ImportError:  # a checkout from before the 友情链接
        pass
    else:
        FriendLink.objects.bulk_create(
            FriendLink(name=f"友情网站{n}", url=f"https://example{n}.cn/", sort_order=n)
            for n in range(10)
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    _fill(args.columns, args.articles, args.seed)
    reader = Client()
    reader.get("/")  # templates compiled, renditions made
    result = {
        "database": connection.vendor,
        "columns": args.columns,
        "articles": args.articles,
        "home": _time(reader, "/", args.runs),
    }
    print(f"[{connection.vendor}] home: {result['home']}", file=sys.stderr, flush=True)
    return result


def _run(database: str, data_dir: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {
        **os.environ,
        "KANWU_DATA_DIR": data_dir,
        "KANWU_PAGE_CACHE": "0",
        "KANWU_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "kanwu.settings.base",
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src"),
    }
    env.pop("REDIS_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = _postgres_database(args.postgres_url, POSTGRES_DATABASE, reuse=False)
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    command = [sys.executable, __file__, *sys.argv[1:], "--child", database]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=31, help="requests timed after the first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(run_one(args)))
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    print(
        "| database | columns | articles | wall ms (median) | CPU ms (median) | first ms | queries |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for database in args.database.split(","):
        with tempfile.TemporaryDirectory(prefix="kanwu-homebench-") as tmp:
            begin = time.perf_counter()
            r = _run(database, tmp, args)
        name = f"home-{database}-{args.columns}x{args.articles}{args.label}.json"
        (RESULTS / name).write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
        home = r["home"]
        print(
            f"| {r['database']} | {r['columns']} | {r['articles']} | {home['warm_ms']} "
            f"| {home['warm_cpu_ms']} | {home['cold_ms']} | {home['queries']} |"
            f"  ({time.perf_counter() - begin:.0f} s in all)"
        )


if __name__ == "__main__":
    main()
