"""The search index's rows and the site dictionary.

`SearchDocument` holds each published article's analysed text (see `analysis`): it is the
content table of the SQLite FTS5 index and carries the generated tsvector on PostgreSQL.
Both are created by this app's migrations, per database vendor.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    article = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    title_grams = models.TextField(blank=True)
    body_grams = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

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
