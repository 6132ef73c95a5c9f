from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kanwu.demo"
    label = "kanwu_demo"
    verbose_name = "演示数据"
