"""从网址导入 of many URLs: queued, then imported by the worker one URL after another.

A request fetches a few URLs itself (URLS_IN_REQUEST, in forms.py); more would keep the editor
waiting up to 15 s a URL, so they become a `UrlImport` the worker runs, its counts and each
URL's result written to the row after every URL, for the run page to show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kanwu.columns.models import ColumnPage
from kanwu.core.batching import tasks_batched
from kanwu.importer.models import UrlImport
from kanwu.importer.progress import Progress, ProgressRecorder
from kanwu.importer.services import Status, article_import_from_url

logger = logging.getLogger(__name__)


def url_import_queue(
    *,
    urls: list[str],
    column: ColumnPage,
    big5_to_simplified: bool = False,
    remote_images: bool = False,
    user: Any = None,
) -> UrlImport:
    """Queue the import of `urls` under `column` for the worker."""
    with transaction.atomic():
        run = UrlImport.objects.create(
            urls=list(urls),
            total=len(urls),
            column=column,
            big5_to_simplified=big5_to_simplified,
            remote_images=remote_images,
            created_by=user,
        )
        transaction.on_commit(partial(url_import_task.enqueue, run.pk))
    return run


@task()
def url_import_task(run_id: int) -> str:
    return url_import_run(run_id=run_id)


def url_import_run(*, run_id: int, progress: Callable[[Progress], None] | None = None) -> str:
    """Import a queued run's URLs, writing the counts and results after each one; `progress`
    hears each report after the run's row has."""
    run = UrlImport.objects.filter(pk=run_id, status=UrlImport.Status.QUEUED).first()
    if run is None:
        return "not queued"
    UrlImport.objects.filter(pk=run.pk).update(status=UrlImport.Status.RUNNING)
    # Each URL takes a fetch of up to 15 s: every one is worth a write.
    recorder = ProgressRecorder(run, every_items=1)
    results: list[dict[str, Any]] = []
    errors: list[str] = []

    def counted(status: Status) -> int:
        return sum(line["status"] == status.value for line in results)

    column = run.column
    if column is None:
        status, text = UrlImport.Status.FAILED, "所选栏目已被删除，没有导入任何网址。"
    else:
        # The search index, Wagtail's indexes and the export hear of the URLs in batches.
        with tasks_batched():
            try:
                for url in run.urls:
                    outcome = article_import_from_url(
                        url=url,
                        column=column,
                        big5_to_simplified=run.big5_to_simplified,
                        remote_images=run.remote_images,
                        user=run.created_by,
                    )
                    results.append(outcome.as_line())
                    if outcome.status is Status.FAILED:
                        errors.append(f"{url}：{outcome.message}")
                    now = Progress(
                        done=len(results),
                        total=run.total,
                        skipped=counted(Status.SKIPPED),
                        failed=counted(Status.FAILED),
                        errors=errors,
                    )
                    recorder(now, results=results)
                    if progress is not None:
                        progress(now)
            except Exception as exc:
                # The articles already imported stay; importing the same URLs again skips them.
                logger.exception("URL import %s failed", run.pk)
                status = UrlImport.Status.FAILED
                text = f"导入中途出错：{exc}。已导入的文章会保留，重新导入同样的网址会跳过它们。"
            else:
                status = UrlImport.Status.DONE
                text = (
                    f"导入完成：已导入 {counted(Status.IMPORTED)} 篇，"
                    f"已跳过 {counted(Status.SKIPPED)} 篇，失败 {counted(Status.FAILED)} 篇。"
                )
    UrlImport.objects.filter(pk=run.pk).update(
        status=status, report=text, finished_at=timezone.now()
    )
    return str(status)
