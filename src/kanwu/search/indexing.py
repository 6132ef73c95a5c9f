"""Writes to the search index: one article, a deletion, or everything."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.core.text import plain_text
from kanwu.search.backends import get_backend
from kanwu.search.dictionary import site_dictionary_load
from kanwu.search.models import SearchDocument
from kanwu.textanalysis import fold, tokens, words

BATCH = 500
# A body word this frequent is what the article is about: it ranks the article higher.
HOT_COUNT = 3


def article_plain_text(article: ArticlePage) -> str:
    """The body as text (tags stripped, entities decoded)."""
    return plain_text(article.body or "")


def _body_text(article: ArticlePage, tags: Iterable[str]) -> str:
    return "\n".join(
        part
        for part in (
            article.subtitle,
            article.summary,
            article_plain_text(article),
            " ".join(tags),
            article.author,
        )
        if part
    )


def spaced(items: Iterable[str]) -> str:
    """Space-separated and space-padded (" a b "; "" for none): " a " finds a whole item."""
    joined = " ".join(items)
    return f" {joined} " if joined else ""


def token_text(folded: str) -> str:
    """The tokens of a folded text, spaced: any query term is then a plain substring of it
    (`backends.base.phrase_pattern`), and the index's grams are `base.index_grams` of it."""
    return spaced(tokens(folded))


def document_for(article: ArticlePage, tags: Iterable[str]) -> SearchDocument:
    title = fold(article.title)
    body = fold(_body_text(article, tags))
    body_words = Counter(words(body))
    return SearchDocument(
        article_id=article.pk,
        title_text=token_text(title),
        body_text=token_text(body),
        title_words=spaced(dict.fromkeys(words(title))),
        body_words=spaced(body_words),
        body_hot=spaced(word for word, count in body_words.items() if count >= HOT_COUNT),
    )


def search_index_articles(*, article_ids: Iterable[int]) -> int:
    """(Re-)index these articles if readers may see them, drop them from the index if not."""
    wanted = list(article_ids)
    site_dictionary_load()
    articles = list(public_articles().filter(pk__in=wanted).prefetch_related("tags"))
    documents = [document_for(a, [t.name for t in a.tags.all()]) for a in articles]
    backend = get_backend()
    with transaction.atomic():
        backend.unindex(set(wanted) - {d.article_id for d in documents})
        backend.index(documents)
    return len(documents)


def search_unindex_articles(*, article_ids: Iterable[int]) -> None:
    get_backend().unindex(article_ids)


def search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-index every public article, in batches of BATCH, each its own transaction.

    Safe to interrupt: every batch is complete or absent, and a second run rewrites all.
    Returns the number of articles indexed.
    """
    site_dictionary_load()
    backend = get_backend()
    ids = list(public_articles().order_by("pk").values_list("pk", flat=True))
    stale = SearchDocument.objects.exclude(article_id__in=public_articles().values("pk"))
    with transaction.atomic():
        backend.unindex(stale.values_list("article_id", flat=True))
    done = 0
    with backend.bulk():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            articles = public_articles().filter(pk__in=batch).prefetch_related("tags")
            documents = [document_for(a, [t.name for t in a.tags.all()]) for a in articles]
            with transaction.atomic():
                backend.index(documents)
            done += len(documents)
            if progress:
                progress(done, len(ids))
    backend.optimize()
    return done
