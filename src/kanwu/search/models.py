"""The search index's rows and the site dictionary.

`SearchDocument` holds what each published article's index entries were made from (see
`indexing.document_for`): the folded text of its title and body, for phrase checks, and its
distinct words, which depend on the site dictionary of the day. The backend (`backends/`)
keeps its full-text index in step with these rows and removes an entry with the very
tokens it was made of: write them only through `index` and `unindex`.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    # Not CASCADE: a deleted article's row stays until the search task has removed its
    # index entries with it (search reads only live articles meanwhile).
    article = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    #: Distinct words (jieba search mode, stop words dropped), spaced (" 统战 统战部 ").
    title_words = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)
    #: The folded text as its tokens, spaced (" 统战部 2024 年 "): phrases are checked here.
    title_text = models.TextField(blank=True)
    #: Body words that occur at least `indexing.HOT_COUNT` times.
    body_hot = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    body_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "搜索索引条目"
        verbose_name_plural = "搜索索引条目"

    def __str__(self) -> str:
        return f"SearchDocument({self.pk})"


class SiteWord(models.Model):
    """A word of the site dictionary (站点词典): segmented as one word from now on."""

    word = models.CharField("词语", max_length=50, unique=True)
    weight = models.PositiveIntegerField(
        "词频权重", null=True, blank=True, help_text="留空由分词器自动决定；数值越大越不易被拆开。"
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "站点词典词语"
        verbose_name_plural = "站点词典"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
