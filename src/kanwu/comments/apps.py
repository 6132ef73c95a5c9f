from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "kanwu.comments"
    label = "comments"
    verbose_name = "评论"
