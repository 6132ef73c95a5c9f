from django.apps import AppConfig


class ColumnsConfig(AppConfig):
    name = "kanwu.columns"
    label = "columns"
    verbose_name = "栏目"
