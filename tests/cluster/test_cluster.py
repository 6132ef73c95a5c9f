"""kanwu scaled out, proven through nginx with real HTTP: two app servers in network
namespaces of their own, one worker, PostgreSQL and Redis (tests/cluster/harness.py).

Run by `make test-cluster` (root and nginx needed); deselected from the normal run by the
`cluster` marker. The failover figures are printed at the end of the run.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from tests.cluster.harness import Cluster, http, wait_until
from tests.cluster.load import Load, comment_form

pytestmark = pytest.mark.cluster
APP_READ = "?utm_source=cluster"  # a query nginx sends to the app; the page cache ignores it


def articles(cluster: Cluster) -> list[tuple[int, str, str]]:
    rows = cluster.sql(
        "SELECT p.id, p.url_path, p.title FROM wagtailcore_page p "
        "JOIN articles_articlepage a ON a.page_ptr_id = p.id WHERE p.live ORDER BY p.id"
    )
    # url_path starts with the root page's slug: /home/news/x/ is served at /news/x/.
    return [(pk, "/" + path.strip("/").split("/", 1)[1] + "/", title) for pk, path, title in rows]


def retitle(cluster: Cluster, server_index: int, page_id: int, title: str) -> None:
    cluster.shell_on(
        cluster.servers[server_index],
        "from wagtail.models import Page\n"
        f"page = Page.objects.get(pk={page_id}).specific\n"
        f"page.title = {title!r}\n"
        "page.save_revision().publish()\n",
    )


def exported(cluster: Cluster, url: str) -> str:
    path = cluster.export / url.strip("/") / "index.html"
    return path.read_text("utf-8") if path.exists() else ""


def test_a_change_made_on_server_a_is_seen_at_once_through_b_and_the_export(
    kanwu_cluster: Cluster,
) -> None:
    cluster = kanwu_cluster
    a, b = cluster.servers
    page_id, url, title = articles(cluster)[0]
    for server in (a, b):  # both hold the page in their cache (Redis and process memory)
        wait_until(
            lambda server=server: http(server.url + url).headers.get("x-kanwu-cache") == "HIT",
            f"{url} cached on {server.name}",
        )
    new_title = f"{title}（集群更新）"

    retitle(cluster, 0, page_id, new_title)
    changed = time.monotonic()

    # At once: the first request to B after the change already shows it.
    seen_on_b = http(b.url + url)
    assert seen_on_b.status == 200 and new_title in seen_on_b.text
    assert new_title in http(a.url + url).text
    assert new_title in http(cluster.url + url + APP_READ).text
    # The worker re-renders the exported file, which nginx serves.
    wait_until(lambda: new_title in exported(cluster, url), "the export to show the change")
    through_nginx = http(cluster.url + url)
    assert through_nginx.status == 200 and new_title in through_nginx.text
    assert "x-upstream" not in through_nginx.headers  # the file, not an app server
    cluster.figures["export refreshed after a change (s)"] = round(time.monotonic() - changed, 1)


def test_killing_an_app_server_under_load_loses_nothing_acknowledged(
    kanwu_cluster: Cluster,
) -> None:
    cluster = kanwu_cluster
    a, b = cluster.servers
    article_id, _, _ = articles(cluster)[1]
    fields, cookie = comment_form(cluster, article_id)
    reads = [f"/search/?q={quote('新闻')}", f"/search/?q={quote('历史')}"]
    load = Load(cluster, article_id, reads, fields, cookie)
    load.start(readers=2, commenters=1)
    try:
        began = time.monotonic()
        load.wait_for_answers(10, began, a.upstream)  # A takes its share
        load.wait_for_answers(3, began, kind="comment")  # comments are being posted
        a.process.kill()
        # Once every process of A is dead: a request begun while the kill was under way (it
        # scans /proc, and A may still answer meanwhile) was in flight at the kill.
        killed = time.monotonic()
        load.wait_for_answers(30, killed, b.upstream)
        a.process.start()  # as systemd would (Restart=always)
        wait_until(a.healthy, "server A back")
        restarted = time.monotonic()
        load.wait_for_answers(10, restarted, a.upstream)  # A takes traffic again
        back_in_rotation = time.monotonic()
    finally:
        load.stop()

    requests = load.snapshot()
    after_kill = [r for r in requests if r.started >= killed]
    recovered = min(r.finished for r in after_kill if not r.failed)
    failed = [r for r in requests if r.failed]
    assert not [r for r in failed if r.started > recovered], "a request failed after failover"
    comments = [r for r in requests if r.kind == "comment" and not r.failed]
    assert comments and all(r.status == 303 for r in comments), {r.status for r in comments}
    stored = {
        body
        for (body,) in cluster.sql(
            "SELECT body FROM comments_comment WHERE article_id = %s", article_id
        )
    }
    assert {r.marker for r in comments} <= stored, "an acknowledged comment is missing"
    cluster.figures["kill -9 of app server A: requests sent"] = len(requests)
    cluster.figures["kill -9 of app server A: requests errored"] = len(failed)
    cluster.figures["kill -9 of app server A: errored by kind"] = sorted(
        f"{r.kind} {r.status}" for r in failed
    )
    cluster.figures["kill -9 of app server A: first good answer after the kill (s)"] = round(
        recovered - killed, 2
    )
    cluster.figures["kill -9 of app server A: comments acknowledged, all stored"] = len(comments)
    cluster.figures["app server A restarted: taking traffic again after (s)"] = round(
        back_in_rotation - restarted, 1
    )


SCHEDULE = """
import datetime as dt
from django.utils import timezone
from wagtail.models import Page
for pk in {ids}:
    page = Page.objects.get(pk=pk).specific
    page.title = page.title + {suffix!r}
    page.go_live_at = timezone.now() + dt.timedelta(seconds=2)
    page.save_revision().publish()  # scheduled: go_live_at is in the future
"""


def publish_counts(cluster: Cluster, ids: list[int]) -> dict[int, int]:
    rows = cluster.sql(
        "SELECT page_id, count(*) FROM wagtailcore_pagelogentry "
        "WHERE page_id = ANY(%s) AND action = 'wagtail.publish.scheduled' GROUP BY page_id",
        ids,
    )
    return dict.fromkeys(ids, 0) | dict(rows)


def test_scheduled_publishing_goes_on_when_a_worker_is_killed_and_runs_once(
    kanwu_cluster: Cluster,
) -> None:
    cluster = kanwu_cluster
    first = cluster.workers[0]
    cluster.start_worker()
    ids = [pk for pk, _, _ in articles(cluster)[2:6]]
    before = publish_counts(cluster, ids)

    # Two workers side by side: each scheduled revision is published once.
    cluster.shell(SCHEDULE.format(ids=ids[:2], suffix="（定时一）"))
    wait_until(
        lambda: all(publish_counts(cluster, ids[:2])[pk] > before[pk] for pk in ids[:2]),
        "scheduled publishing",
    )
    first.kill()
    killed = time.monotonic()
    cluster.shell(SCHEDULE.format(ids=ids[2:], suffix="（定时二）"))
    wait_until(
        lambda: all(publish_counts(cluster, ids[2:])[pk] > before[pk] for pk in ids[2:]),
        "the second worker to publish",
    )
    cluster.figures["worker killed: scheduled publishing done by the other after (s)"] = round(
        time.monotonic() - killed, 1
    )
    # The first batch had the whole second one's time to be published again: it was not.
    after = publish_counts(cluster, ids)
    assert {pk: after[pk] - before[pk] for pk in ids} == dict.fromkeys(ids, 1)
    titles = dict(cluster.sql("SELECT id, title FROM wagtailcore_page WHERE id = ANY(%s)", ids))
    assert all(titles[pk].endswith("（定时一）") for pk in ids[:2])
    assert all(titles[pk].endswith("（定时二）") for pk in ids[2:])


def test_redis_restarted_under_load_pages_served_cache_refilled_no_purge_lost(
    kanwu_cluster: Cluster,
) -> None:
    cluster = kanwu_cluster
    a, b = cluster.servers
    (article_id, _, _), (page_id, url, title) = articles(cluster)[1], articles(cluster)[6]
    fields, cookie = comment_form(cluster, article_id)
    load = Load(cluster, article_id, ["/news/" + APP_READ, url + APP_READ], fields, cookie)
    load.start(readers=2, commenters=0)
    assert cluster.redis is not None
    try:
        load.wait_for_answers(10, time.monotonic())
        cluster.redis.kill()
        down = time.monotonic()
        load.wait_for_answers(20, down)  # served from the database meanwhile
        new_title = f"{title}（Redis 停止时修改）"
        retitle(cluster, 0, page_id, new_title)
        cluster.redis_start()
        back = time.monotonic()
        load.wait_for_answers(10, back)
    finally:
        load.stop()

    failed = [r for r in load.snapshot() if r.failed]
    cluster.figures["Redis restarted under load: requests errored"] = len(failed)
    assert not failed
    # The cache fills again…
    wait_until(
        lambda: http(b.url + url).headers.get("x-kanwu-cache") == "HIT", "the cache to refill"
    )
    # …and nothing shows the page as it was before the change made while Redis was away.
    for answer in (http(b.url + url), http(a.url + url), http(cluster.url + url)):
        assert answer.status == 200 and new_title in answer.text
    assert new_title in exported(cluster, url)
    # Workers lose their queue connection: those that exited are restarted, as systemd would.
    for worker in cluster.workers:
        if worker.popen is not None and worker.popen.poll() is not None and worker is not None:
            worker.start()


def test_postgres_restarted_requests_fail_cleanly_and_recover(kanwu_cluster: Cluster) -> None:
    cluster = kanwu_cluster
    path = f"/search/?q={quote('恢复')}"
    assert http(cluster.url + path).status == 200
    cluster.postgres_stop()
    stopped = time.monotonic()
    try:
        answers = [http(cluster.url + path) for _ in range(5)]
        answers += [http(server.url + path) for server in cluster.servers]
    finally:
        cluster.postgres_start()
    started = time.monotonic()
    for answer in answers:
        assert answer.status == 503, (answer.status, answer.text[:500])
        assert "服务暂时不可用" in answer.text
    wait_until(lambda: http(cluster.url + path).status == 200, "pages to come back")
    for server in cluster.servers:
        wait_until(lambda server=server: http(server.url + path).status == 200, "both servers")
    cluster.figures["PostgreSQL restarted: answers while down"] = sorted(
        {a.status for a in answers}
    )
    cluster.figures["PostgreSQL restarted: down for (s)"] = round(started - stopped, 1)
    cluster.figures["PostgreSQL restarted: pages back after it started (s)"] = round(
        time.monotonic() - started, 1
    )
