"""WordPress imports started from the admin: upload → check → queue → import in the worker;
and 重新获取图片, a run that fetches the images an import could not (wordpress/media.py)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kanwu.importer.models import WordPressImport
from kanwu.importer.progress import Progress, ProgressRecorder
from kanwu.importer.wordpress.importer import wordpress_import, wxr_source
from kanwu.importer.wordpress.media import wordpress_media_retry
from kanwu.importer.wordpress.wxr import WxrError, wxr_check

logger = logging.getLogger(__name__)


def uploads_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wordpress_import_queue(*, upload: UploadedFile, user: Any) -> WordPressImport:
    """Keep the upload privately, refuse it now if it is not a safe WXR file (WxrError,
    nothing stored), else queue its import for the worker."""
    path = uploads_dir() / f"{uuid.uuid4().hex}.xml"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        check = wxr_check(path)
    except WxrError:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        run = WordPressImport.objects.create(
            filename=(upload.name or "export.xml")[:255],
            path=str(path),
            source=wxr_source(check.channel, path),
            created_by=user,
        )
        transaction.on_commit(partial(wordpress_import_task.enqueue, run.pk))
    return run


def wordpress_media_retry_queue(*, run: WordPressImport, user: Any) -> WordPressImport:
    """Queue a run that fetches the images `run`'s blog still lacks; the one already queued
    or running for that blog if there is one (a second click starts nothing)."""
    busy = WordPressImport.objects.filter(
        source=run.source,
        retry_media=True,
        status__in=[WordPressImport.Status.QUEUED, WordPressImport.Status.RUNNING],
    ).first()
    if busy is not None:
        return busy
    with transaction.atomic():
        retry = WordPressImport.objects.create(
            filename=run.filename, path="", source=run.source, retry_media=True, created_by=user
        )
        transaction.on_commit(partial(wordpress_import_task.enqueue, retry.pk))
    return retry


@task()
def wordpress_import_task(run_id: int) -> str:
    return wordpress_import_run(run_id=run_id)


def wordpress_import_run(*, run_id: int, progress: Callable[[Progress], None] | None = None) -> str:
    """Import a queued run's file, its counts written to the run as it goes (the run page
    shows them); `progress` hears each report after the run's row has."""
    run = WordPressImport.objects.filter(pk=run_id, status=WordPressImport.Status.QUEUED).first()
    if run is None:
        return "not queued"
    WordPressImport.objects.filter(pk=run.pk).update(status=WordPressImport.Status.RUNNING)
    recorder = ProgressRecorder(run)

    def record(now: Progress) -> None:
        recorder(now)
        if progress is not None:
            progress(now)

    if run.retry_media:
        return _media_retry_run(run, record, recorder)
    path = Path(run.path)
    try:
        report = wordpress_import(path=path, user=run.created_by, progress=record)
    except WxrError as exc:
        status, text = WordPressImport.Status.FAILED, f"导入已取消，网站未作任何改动：{exc}"
    except Exception as exc:
        # Items already imported stay (each had its own transaction); a new upload resumes.
        logger.exception("WordPress import %s failed", run.pk)
        status = WordPressImport.Status.FAILED
        text = f"导入中途出错：{exc}。已导入的内容会保留，重新上传同一文件即可继续。"
        recorder.flush()
    else:
        status, text = WordPressImport.Status.DONE, "\n".join(report.lines())
    finally:
        path.unlink(missing_ok=True)
    WordPressImport.objects.filter(pk=run.pk).update(
        status=status, report=text, finished_at=timezone.now()
    )
    return str(status)


def _media_retry_run(
    run: WordPressImport, record: Callable[[Progress], None], recorder: ProgressRecorder
) -> str:
    try:
        report = wordpress_media_retry(source=run.source, user=run.created_by, progress=record)
    except Exception as exc:
        # Images put back so far stay (each page had its own transaction); the rest wait.
        logger.exception("WordPress media retry %s failed", run.pk)
        status = WordPressImport.Status.FAILED
        text = f"重新获取图片中途出错：{exc}。已放回的图片会保留，其余的仍可再次重新获取。"
        recorder.flush()
    else:
        status, text = WordPressImport.Status.DONE, "\n".join(report.lines())
    WordPressImport.objects.filter(pk=run.pk).update(
        status=status, report=text, finished_at=timezone.now()
    )
    return str(status)
