from django.apps import AppConfig


class TakedownsConfig(AppConfig):
    name = "kanwu.takedowns"
    label = "takedowns"
    verbose_name = "侵权投诉"
