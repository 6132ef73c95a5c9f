from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "kanwu.roles"
    label = "roles"
    verbose_name = "角色与三审"
    default_auto_field = "django.db.models.BigAutoField"
