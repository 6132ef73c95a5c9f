from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "kanwu.casework"
    label = "casework"
    verbose_name = "投稿与投诉"
