from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kanwu.accounts"
    label = "accounts"
    verbose_name = "账号与登录安全"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kanwu.accounts import signals

        signals.connect()
