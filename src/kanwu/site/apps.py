from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "kanwu.site"
    label = "kanwu_site"
    verbose_name = "站点"
