"""为您推荐, content-based: articles whose keywords are most alike.

Each published article gets its `KEYWORDS` most characteristic words (TF-IDF over jieba's
segmentation, `kanwu.textanalysis.keywords`), stored as `ArticleKeyword` rows. Its
recommendations are the public articles with the highest cosine similarity of those
keyword vectors, at least `MIN_SCORE`, stored as `Recommendation` rows;
`selectors.related_articles` reads them and fills up from the same column.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Sum, Value, When, Window
from django.db.models.functions import RowNumber

from kanwu.articles.models import ArticleKeyword, ArticlePage, Recommendation
from kanwu.articles.selectors import RELATED_COUNT, public_articles
from kanwu.core.text import plain_text
from kanwu.textanalysis import keywords

KEYWORDS = 20
MIN_SCORE = 0.08
# In the whole-corpus pass (and a batch's), each keyword contributes only its POSTINGS
# strongest articles: the weak tail of a common word never reaches anyone's top 6, and
# skipping it keeps the pass linear in the number of articles.
POSTINGS = 150
BATCH = 500


def article_keywords(article: ArticlePage, tags: Iterable[str] = ()) -> dict[str, float]:
    """The article's keyword vector; the title counts twice."""
    body = plain_text(article.body or "")
    text = "\n".join(
        [article.title, article.title, article.subtitle, article.summary, body, " ".join(tags)]
    )
    return keywords(text, KEYWORDS)


def _store_keywords(vectors: dict[int, dict[str, float]]) -> None:
    rows = [
        (pk, term[:50], weight) for pk, vector in vectors.items() for term, weight in vector.items()
    ]
    ArticleKeyword.objects.filter(article_id__in=list(vectors))._raw_delete(connection.alias)
    _insert(ArticleKeyword._meta.db_table, ("article_id", "term", "weight"), rows)


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows: model instances cost more than the database on millions of rows,
    and PostgreSQL takes them many times quicker by COPY than by one INSERT each."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def _store_recommendations(article_id: int, ranked: list[tuple[int, float]]) -> None:
    Recommendation.objects.filter(article_id=article_id).delete()
    Recommendation.objects.bulk_create(
        Recommendation(article_id=article_id, recommended_id=pk, score=score, rank=rank)
        for rank, (pk, score) in enumerate(ranked, start=1)
    )


def recommendations_update(*, article_id: int, limit: int = RELATED_COUNT) -> list[int]:
    """Store keywords and recommendations of one article; returns the recommended ids.

    An article readers may not see gets none (and loses its keywords).
    """
    article = public_articles().filter(pk=article_id).prefetch_related("tags").first()
    with transaction.atomic():
        if article is None:
            ArticleKeyword.objects.filter(article_id=article_id).delete()
            Recommendation.objects.filter(article_id=article_id).delete()
            return []
        vector = article_keywords(article, [tag.name for tag in article.tags.all()])
        _store_keywords({article.pk: vector})
        ranked: list[tuple[int, float]] = []
        if vector:
            score = Sum(
                Case(
                    *(When(term=term, then=F("weight") * Value(w)) for term, w in vector.items()),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
            rows = (
                ArticleKeyword.objects.filter(
                    term__in=list(vector), article__in=public_articles().values("pk")
                )
                .exclude(article_id=article.pk)
                .values("article_id")
                .annotate(score=score)
                .order_by("-score", "-article_id")[:limit]
            )
            ranked = [(r["article_id"], r["score"]) for r in rows if r["score"] >= MIN_SCORE]
        _store_recommendations(article.pk, ranked)
    return [pk for pk, _ in ranked]


def recommendations_update_many(
    *, article_ids: Iterable[int], limit: int = RELATED_COUNT
) -> dict[int, list[int]]:
    """Keywords and recommendations of many articles at once (an import's batch); returns
    the recommended ids of each article readers may see (the others lose theirs).

    Every article's keywords are stored first, so each is ranked against all the others,
    and ranked as the whole-corpus pass ranks (`_ranked_pruned`: each keyword's POSTINGS
    strongest public articles, read in one query per BATCH keywords) rather than with one
    aggregate query per article. Written BATCH articles a transaction.
    """
    wanted = list(dict.fromkeys(article_ids))
    vectors: dict[int, dict[str, float]] = {}
    for start in range(0, len(wanted), BATCH):
        part = wanted[start : start + BATCH]
        articles = public_articles().filter(pk__in=part).prefetch_related("tags")
        found = {a.pk: article_keywords(a, [t.name for t in a.tags.all()]) for a in articles}
        gone = [pk for pk in part if pk not in found]
        with transaction.atomic():
            ArticleKeyword.objects.filter(article_id__in=gone).delete()
            Recommendation.objects.filter(article_id__in=gone).delete()
            if found:
                _store_keywords(found)
        vectors.update(found)
    pruned = _stored_postings({term for vector in vectors.values() for term in vector})
    recommended: dict[int, list[int]] = {}
    pending: dict[int, list[tuple[int, float]]] = {}
    for pk, vector in vectors.items():
        pending[pk] = _ranked_pruned(pk, vector, pruned, limit)
        recommended[pk] = [other for other, _ in pending[pk]]
        if len(pending) >= BATCH:
            _flush(pending)
    _flush(pending)
    return recommended


def _stored_postings(terms: Iterable[str]) -> dict[str, list[tuple[int, float]]]:
    """Each term's POSTINGS strongest public articles (article id, weight), strongest
    first, from the stored keywords: what the whole-corpus pass keeps in memory."""
    wanted = sorted(terms)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for start in range(0, len(wanted), BATCH):
        rows = (
            ArticleKeyword.objects.filter(
                term__in=wanted[start : start + BATCH], article__in=public_articles().values("pk")
            )
            .annotate(
                strength=Window(
                    RowNumber(),
                    partition_by=F("term"),
                    order_by=[F("weight").desc(), F("article_id").desc()],
                )
            )
            .filter(strength__lte=POSTINGS)
            .values_list("term", "article_id", "weight")
        )
        for term, pk, weight in rows:
            postings[term].append((pk, weight))
    return postings


def _ranked_pruned(
    pk: int, vector: dict[str, float], pruned: dict[str, list[tuple[int, float]]], limit: int
) -> list[tuple[int, float]]:
    """The `limit` articles most like `vector` (article `pk`'s), scored over the pruned
    postings, best first: the innermost loop of the whole-corpus pass (KEYWORDS x
    POSTINGS per article), plain dict operations, and only scores that can be kept reach
    the ranking."""
    scores: dict[int, float] = {}
    get = scores.get
    for term, weight in vector.items():
        for other, other_weight in pruned.get(term, ()):
            scores[other] = get(other, 0.0) + weight * other_weight
    kept = [(score, other) for other, score in scores.items() if score >= MIN_SCORE]
    best = heapq.nlargest(limit + 1, kept)
    return [(other, score) for score, other in best if other != pk][:limit]


def recommendations_refresh_pointing_at(*, article_ids: Iterable[int]) -> int:
    """Recompute the articles that recommended any of `article_ids` (now gone from readers)."""
    sources = set(
        Recommendation.objects.filter(recommended_id__in=list(article_ids)).values_list(
            "article_id", flat=True
        )
    )
    for pk in sorted(sources):
        recommendations_update(article_id=pk)
    return len(sources)


def recommendations_rebuild(
    *,
    progress: Callable[[str, int, int], None] | None = None,
    limit: int = RELATED_COUNT,
) -> int:
    """Keywords and recommendations for every public article; returns how many articles.

    Works in batches, each its own transaction, so it is safe to interrupt and run again.
    """
    ids = list(public_articles().order_by("pk").values_list("pk", flat=True))
    ArticleKeyword.objects.exclude(article__in=public_articles().values("pk")).delete()
    Recommendation.objects.exclude(article__in=public_articles().values("pk")).delete()
    vectors: dict[int, dict[str, float]] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        articles = public_articles().filter(pk__in=batch).prefetch_related("tags")
        found = {a.pk: article_keywords(a, [t.name for t in a.tags.all()]) for a in articles}
        with transaction.atomic():
            _store_keywords(found)
        vectors.update(found)
        if progress:
            progress("keywords", len(vectors), len(ids))

    postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for pk, vector in vectors.items():
        for term, weight in vector.items():
            postings[term].append((weight, pk))
    pruned = {
        term: [(pk, weight) for weight, pk in heapq.nlargest(POSTINGS, entries)]
        for term, entries in postings.items()
    }
    del postings

    done = 0
    pending: dict[int, list[tuple[int, float]]] = {}
    for pk, vector in vectors.items():
        pending[pk] = _ranked_pruned(pk, vector, pruned, limit)
        if len(pending) >= BATCH:
            done += _flush(pending)
            if progress:
                progress("recommendations", done, len(vectors))
    done += _flush(pending)
    if progress:
        progress("recommendations", done, len(vectors))
    return done


def _flush(pending: dict[int, list[tuple[int, float]]]) -> int:
    count = len(pending)
    if not count:
        return 0
    rows = [
        (pk, other, score, rank)
        for pk, ranked in pending.items()
        for rank, (other, score) in enumerate(ranked, start=1)
    ]
    with transaction.atomic():
        Recommendation.objects.filter(article_id__in=list(pending))._raw_delete(connection.alias)
        columns = ("article_id", "recommended_id", "score", "rank")
        _insert(Recommendation._meta.db_table, columns, rows)
    pending.clear()
    return count
