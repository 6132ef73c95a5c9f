from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "kanwu.submissions"
    label = "submissions"
    verbose_name = "投稿"
