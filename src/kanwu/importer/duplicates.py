"""Is this article already on the site? Same source URL (refused) or a near-duplicate body
(imported with a warning)."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.importer.models import ArticleFingerprint
from kanwu.importer.richtext import plain_text
from kanwu.importer.simhash import (
    NEAR_DISTANCE,
    bands,
    hamming,
    simhash,
    to_signed,
    to_unsigned,
)

REFRESH_BATCH = 500
# An import fingerprints at most this many unfingerprinted articles itself; the worker's
# periodic job (fingerprints_refresh_periodic) catches up with the rest of a large site.
REFRESH_PER_IMPORT = 500
REFRESH_PER_TICK = 5000


def article_with_source(urls: list[str]) -> ArticlePage | None:
    """An article whose source URL is one of `urls` (the pasted, final or canonical URL)."""
    wanted = [url for url in urls if url]
    if not wanted:
        return None
    return ArticlePage.objects.filter(source_url__in=wanted).order_by("pk").first()


def fingerprint_save(*, page: ArticlePage, value: int) -> None:
    parts = bands(value)
    ArticleFingerprint.objects.update_or_create(
        page=page,
        defaults={
            "simhash": to_signed(value),
            "band0": parts[0],
            "band1": parts[1],
            "band2": parts[2],
            "band3": parts[3],
            "computed_at": timezone.now(),
        },
    )


def fingerprints_refresh(*, limit: int | None = None) -> int:
    """Fingerprint articles that have none or were edited since (at most `limit`); return
    how many were made."""
    stale = ArticlePage.objects.filter(
        Q(pk__in=ArticlePage.objects.exclude(
            pk__in=ArticleFingerprint.objects.values("page_id")
        ).values("pk"))
        | Q(pk__in=ArticleFingerprint.objects.filter(
            page__latest_revision_created_at__gt=F("computed_at")
        ).values("page_id"))
    )  # fmt: skip
    done = 0
    while limit is None or done < limit:
        size = REFRESH_BATCH if limit is None else min(REFRESH_BATCH, limit - done)
        batch = list(stale.order_by("pk").only("pk", "body")[:size])
        if not batch:
            return done
        for page in batch:
            fingerprint_save(page=page, value=simhash(plain_text(page.body)))
        done += len(batch)
    return done


def fingerprints_refresh_periodic() -> None:
    """Run by the worker (KANWU_PERIODIC_JOBS): keep every article's fingerprint current."""
    fingerprints_refresh(limit=REFRESH_PER_TICK)


def near_duplicates(text: str, *, exclude_pk: int | None = None) -> list[ArticlePage]:
    """Articles whose body's SimHash is within NEAR_DISTANCE bits of `text`'s."""
    value = simhash(text)
    if value == 0:
        return []
    parts = bands(value)
    candidates = ArticleFingerprint.objects.filter(
        Q(band0=parts[0]) | Q(band1=parts[1]) | Q(band2=parts[2]) | Q(band3=parts[3])
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(page_id=exclude_pk)
    ids = [
        row.page_id
        for row in candidates.only("page_id", "simhash")
        if hamming(to_unsigned(row.simhash), value) <= NEAR_DISTANCE
    ]
    return list(ArticlePage.objects.filter(pk__in=ids).order_by("pk"))
