"""WordPress imports started from the admin: upload → check → queue → import in the worker."""

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
from kanwu.importer.wordpress.importer import wordpress_import
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
        wxr_check(path)
    except WxrError:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        run = WordPressImport.objects.create(
            filename=(upload.name or "export.xml")[:255], path=str(path), created_by=user
        )
        transaction.on_commit(partial(wordpress_import_task.enqueue, run.pk))
    return run


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
