from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "kanwu.topics"
    label = "topics"
    verbose_name = "专题"
