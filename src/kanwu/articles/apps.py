from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "kanwu.articles"
    label = "articles"
    verbose_name = "文章"
