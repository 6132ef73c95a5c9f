from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "kanwu.backups"
    label = "backups"
    verbose_name = "备份"
