from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "kanwu.importer"
    label = "importer"
    verbose_name = "导入"
