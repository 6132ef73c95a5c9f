from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kanwu.search"
    label = "search"
    verbose_name = "搜索"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, pre_delete
        from wagtail.signals import page_published, page_unpublished

        from kanwu.articles.models import ArticlePage
        from kanwu.search import signals

        page_published.connect(signals.on_page_published, dispatch_uid="search_published")
        page_unpublished.connect(signals.on_page_unpublished, dispatch_uid="search_unpublished")
        pre_delete.connect(
            signals.on_article_deleting, sender=ArticlePage, dispatch_uid="search_deleting"
        )
        post_delete.connect(
            signals.on_article_deleted, sender=ArticlePage, dispatch_uid="search_deleted"
        )
