"""The search page's read: matching public articles, a page of them, with snippets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.safestring import SafeString
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import LIST_THUMBNAIL_SPEC, public_articles, with_thumbnails
from kanwu.core.text import plain_text
from kanwu.search.backends import Sort, get_backend
from kanwu.search.snippets import highlight, snippet
from kanwu.textanalysis import ParsedQuery

PER_PAGE = 10


@dataclass(frozen=True, slots=True)
class Result:
    article: ArticlePage
    title: SafeString
    snippet: SafeString
    score: float


@dataclass(frozen=True, slots=True)
class ResultPage:
    total: int
    results: list[Result]
    page: int
    pages: int
    #: False when `total` is an estimate, shown as 约 N (rounded to two significant digits).
    exact: bool = True


def about(total: int) -> int:
    """`total` to two significant digits: an estimate should not look precise."""
    if total < 100:
        return total
    step = 10 ** (len(str(total)) - 2)
    return round(total / step) * step


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_articles(
    *,
    query: ParsedQuery,
    column: Page | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> ResultPage:
    """Public articles matching every term of `query`, within the filters, one page of them.

    Querying needs no segmentation (terms are matched as typed), so no site dictionary.
    """
    candidates = public_articles()
    if column is not None:
        candidates = candidates.in_column(column)
    if date_from is not None:
        candidates = candidates.filter(published_at__gte=_day_start(date_from))
    if date_to is not None:
        candidates = candidates.filter(published_at__lt=_day_start(date_to + timedelta(days=1)))
    backend = get_backend()
    if not backend.ranks_by_relevance:
        sort = "newest"
    found = backend.search(
        query, candidates=candidates, sort=sort, offset=(page - 1) * per_page, limit=per_page
    )
    total = found.total if found.exact else about(found.total)
    pages = max(1, -(-total // per_page))
    ids = [hit.article_id for hit in found.hits]
    rows = with_thumbnails(public_articles().filter(pk__in=ids), LIST_THUMBNAIL_SPEC)
    by_id = {row.pk: row for row in rows}
    results = []
    for hit in found.hits:
        article = by_id.get(hit.article_id)
        if article is None:
            continue
        text = plain_text(article.body or "") or article.excerpt
        results.append(
            Result(
                article=article,
                title=highlight(article.title, query),
                snippet=snippet(text, query),
                score=hit.score,
            )
        )
    return ResultPage(total=total, results=results, page=page, pages=pages, exact=found.exact)
