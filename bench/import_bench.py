"""Import benchmark: a 1,000-post WordPress export through the worker, until readers find it.

In a fresh data dir (and database): migrate, write the (empty) site's static export, start
`kanwu worker` (the database task backend, as a site without Redis runs), generate a WXR
file of N posts (demo text, categories two levels deep, 1-3 tags and 0-6 comments a post,
a few single pages), then import it either as `kanwu import-wordpress` in its own process
(--mode cli) or as an admin upload that the worker itself imports (--mode run). Reported:

- the import's rate (items a second: posts, pages and comments) and its duration;
- the tasks queued while it ran, by task;
- seconds from the import's end until the task queue is drained, after which every
  imported post is checked: found by /search/ (a word unique to it), its file in the static
  export, its rows in Wagtail's reference index and Wagtail's search index.

    python bench/import_bench.py                      # 1,000 posts, SQLite, both modes
    python bench/import_bench.py --posts 300 --modes cli
    python bench/import_bench.py --database postgres --postgres-url postgres://postgres@127.0.0.1:5432/
    make bench-import BENCH_ARGS="--posts 500"

The machine's load average is recorded with each phase: timings on a shared machine mean
little without it. Results are printed and written to bench/results/import-<db>-<N>-<mode>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))  # tests.importer.wxr writes the WXR markup
sys.path.insert(0, str(ROOT / "src"))  # the working tree, as the worker and commands run it

# WordPress categories: (nicename, parent, name, description) and the demo topic of each.
CATEGORIES = [
    ("news", "", "新闻", "国内外新闻", "news"),
    ("local", "news", "本地新闻", "", "grassroots"),
    ("policy", "", "政策", "", "policy"),
    ("theory", "", "理论", "", "theory"),
    ("history", "theory", "历史", "", "history"),
    ("notice", "", "公告", "", "notice"),
]


def marker(number: int) -> str:
    """A word only post `number` has: the search check looks for it."""
    return f"kw{number:05d}x"


def wxr_generate(posts: int, seed: int, path: Path) -> dict[str, int]:
    """Write a WXR file of `posts` posts (and a page per 100) to `path`; returns counts."""
    from tests.importer.wxr import Post, build_wxr, comment

    from kanwu.demo import textgen

    rng = random.Random(seed)
    items: list[Post] = []
    comments = 0
    comment_id = 1
    for number in range(1, posts + 1):
        nicename, *_, topic = rng.choice(CATEGORIES)
        text = textgen.generate_article(rng, topic)
        body = textgen.body_html(text) + f"<p>稿件编号 {marker(number)}</p>"
        thread = []
        for _ in range(rng.choice((0, 0, 1, 2, 3, 4, 5, 6))):
            parent = rng.choice([0, *(int(c["comment_id"]) for c in thread)])
            thread.append(
                comment(comment_id, rng.choice(text.paragraphs)[:120], parent=parent % 10**6)
            )
            comment_id += 1
        comments += len(thread)
        minute = number % 60
        items.append(
            Post(
                1000 + number,
                text.title,
                body,
                name=f"post-{number}",
                date=f"2024-03-{1 + number % 28:02d} 10:{minute:02d}:00",
                date_gmt=f"2024-03-{1 + number % 28:02d} 02:{minute:02d}:00",
                link=f"http://old.example.com/{number}/",
                excerpt=text.summary,
                categories=[
                    ("category", nicename, next(c[2] for c in CATEGORIES if c[0] == nicename)),
                    *(("post_tag", tag, tag) for tag in text.tags[: rng.randint(1, 3)]),
                ],
                comments=thread,
            )
        )
    # A single page every 100 posts, as WordPress exports them (by id, pages among posts).
    pages = max(1, posts // 100)
    for number in range(pages):
        items.insert(
            (number + 1) * len(items) // (pages + 1),
            Post(900 + number, f"单页{number + 1}", "<p>关于本站。</p>", post_type="page",
                 name=f"page-{number + 1}"),
        )  # fmt: skip
    categories = [(nice, parent, name, desc) for nice, parent, name, desc, _ in CATEGORIES]
    path.write_text(build_wxr(items, categories=categories), encoding="utf-8")
    return {"posts": posts, "pages": pages, "comments": comments}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def say(message: str) -> None:
    print(f"[import-bench] {message}", file=sys.stderr, flush=True)


def kanwu(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kanwu.cli", *args],
        env=env, check=True, text=True, capture_output=True, **kwargs,
    )  # fmt: skip


def run_one(args: argparse.Namespace, mode: str, database_url: str | None) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix=f"kanwu-importbench-{mode}-"))
    env = {
        **os.environ,
        "KANWU_DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "DJANGO_SETTINGS_MODULE": "kanwu.settings.base",
        "KANWU_SCHEDULE_INTERVAL": "5",
    }
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    os.environ.update(env)
    say(f"{mode}: data dir {data}")
    kanwu(env, "migrate", "-v0")
    kanwu(env, "collectstatic", "--noinput", "-v0")  # before this process reads the manifest

    import django

    django.setup()
    _configure_site()
    kanwu(env, "publish-static", "--jobs", "1", "--skip-collectstatic")
    wxr = data / "export.xml"
    counts = wxr_generate(args.posts, args.seed, wxr)
    result: dict[str, Any] = {
        "mode": mode,
        "posts": args.posts,
        **{f"wxr_{key}": value for key, value in counts.items()},
        "wxr_mb": round(wxr.stat().st_size / 2**20, 1),
        "cpus": os.cpu_count(),
    }

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    result["database"] = connection.vendor
    log = (data / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "kanwu.cli", "worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        time.sleep(3)  # the worker's first scheduler tick
        _drain(DBTaskResult, timeout=120)
        queued_before = DBTaskResult.objects.count()
        result["load_import"] = _load()
        if mode == "cli":
            begin = time.time()
            kanwu(env, "import-wordpress", str(wxr))
            end = time.time()
        else:
            begin, end = _admin_run(wxr)
        result["import_s"] = round(end - begin, 1)
        items = counts["posts"] + counts["pages"] + counts["comments"]
        result["import_items_per_s"] = round(items / (end - begin), 1)
        say(f"{mode}: imported in {result['import_s']} s")
        tasks = DBTaskResult.objects.order_by("enqueued_at")[queued_before:]
        by_path: dict[str, int] = {}
        for path in tasks.values_list("task_path", flat=True):
            by_path[path] = by_path.get(path, 0) + 1
        result["load_drain"] = _load()
        drained = _drain(DBTaskResult, timeout=args.drain_timeout)
        result["drain_after_import_s"] = round(drained - end, 1) if drained else None
        result["tasks_queued"] = sum(by_path.values())
        result["tasks_by_path"] = dict(sorted(by_path.items()))
        result["tasks_failed"] = DBTaskResult.objects.failed().count()
        seconds: dict[str, float] = {}
        for path, started, finished in tasks.values_list("task_path", "started_at", "finished_at"):
            if started and finished:
                spent = (finished - started).total_seconds()
                seconds[path] = round(seconds.get(path, 0.0) + spent, 1)
        result["task_seconds_by_path"] = dict(sorted(seconds.items()))
        say(f"{mode}: queue drained {result['drain_after_import_s']} s after the import")
        result.update(_check(data))
        result["load_end"] = _load()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        log.close()
    return result


def _configure_site() -> None:
    """A site in use has its settings saved (a page reading settings that were never saved
    creates them, and every page shows them: the whole export would be written again)."""
    from kanwu.comments.models import CommentSettings
    from kanwu.site.models import SiteSettings
    from kanwu.site.services import site_ensure_tree

    site_ensure_tree()
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    SiteSettings.for_site(site).save()
    CommentSettings.for_site(site).save()


def _admin_run(wxr: Path) -> tuple[float, float]:
    """Upload as the admin does; the worker imports. Returns the run's start and end."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kanwu.importer.models import WordPressImport
    from kanwu.importer.wordpress.runs import wordpress_import_queue

    upload = SimpleUploadedFile("export.xml", wxr.read_bytes(), "text/xml")
    begin = time.time()
    run = wordpress_import_queue(upload=upload, user=None)
    while True:
        run.refresh_from_db()
        if run.status in {WordPressImport.Status.DONE, WordPressImport.Status.FAILED}:
            break
        time.sleep(0.2)
    if run.status != WordPressImport.Status.DONE:
        raise SystemExit(f"the import run failed: {run.report}")
    return begin, run.finished_at.timestamp() if run.finished_at else time.time()


def _drain(model: Any, timeout: float) -> float | None:
    """Wait until no task is waiting or running; the moment it was seen so (or None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not (model.objects.ready().exists() or model.objects.running().exists()):
            return time.time()
        time.sleep(0.25)
    return None


def _check(data: Path) -> dict[str, Any]:
    """Every imported post: found by /search/, in the static export, in Wagtail's
    reference and search indexes."""
    from django.test import Client
    from wagtail.models import ReferenceIndex
    from wagtail.search.models import IndexEntry

    from kanwu.articles.models import ArticlePage
    from kanwu.publishing.static_export import file_for

    client = Client()
    articles = list(ArticlePage.objects.live().order_by("pk"))
    body_marker = {a.pk: a.body.rsplit("稿件编号 ", 1)[-1].split("<", 1)[0] for a in articles}
    referenced = set(
        ReferenceIndex.objects.filter(base_content_type__model="page").values_list(
            "object_id", flat=True
        )
    )
    entries = set(IndexEntry.objects.values_list("object_id", flat=True))
    missing: dict[str, list[int]] = {"search": [], "export": [], "references": [], "wagtail": []}
    outdir = data / "html"
    for article in articles:
        response = client.get("/search/", {"q": body_marker[article.pk]}, HTTP_HOST="localhost")
        if article.get_url() not in response.text:
            missing["search"].append(article.pk)
        if not (outdir / file_for(article.get_url() or "")).is_file():
            missing["export"].append(article.pk)
        if str(article.pk) not in referenced:
            missing["references"].append(article.pk)
        if str(article.pk) not in entries:
            missing["wagtail"].append(article.pk)
    return {
        "articles_checked": len(articles),
        **{f"missing_{kind}": len(pks) for kind, pks in missing.items()},
        "missing_examples": {kind: pks[:5] for kind, pks in missing.items() if pks},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", default="cli,run", help="cli, run or both (comma-separated)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--drain-timeout", type=float, default=3600)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one mode in a fresh process (Django is set up once per process)
        url = os.environ.get("DATABASE_URL")
        print(json.dumps(run_one(args, args.child, url)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    for mode in args.modes.split(","):
        env = dict(os.environ)
        if args.database == "postgres":
            name = "kanwu_importbench"
            admin = args.postgres_url.rstrip("/") + "/postgres"
            _psql(admin, f"DROP DATABASE IF EXISTS {name}")
            _psql(admin, f"CREATE DATABASE {name}")
            env["DATABASE_URL"] = args.postgres_url.rstrip("/") + "/" + name
        child = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--posts", str(args.posts),
             "--seed", str(args.seed), "--drain-timeout", str(args.drain_timeout)],
            env=env, check=True, text=True, stdout=subprocess.PIPE,
        )  # fmt: skip
        result = json.loads(child.stdout.strip().splitlines()[-1])
        out = RESULTS / f"import-{result['database']}-{args.posts}-{mode}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(json.dumps(result, indent=2, ensure_ascii=False))


def _psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
