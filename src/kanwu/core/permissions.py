"""Permission names in Chinese, as editors read them in 用户组 and the logs.

Django stores each permission's name when it creates it: "Can add 评论" for the four default
permissions (never translated), and for Wagtail's own ones the English of the moment. After
every `migrate` the names are rewritten from the models in Chinese; a new install and an
upgraded one read the same.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_names(app_config: AppConfig) -> dict[tuple[type[Any], str], str]:
    """(model, codename) → the Chinese name, for every permission of the app's models."""
    names = {}
    with translation.override(settings.LANGUAGE_CODE):
        for model in app_config.get_models():
            opts = model._meta
            for action in opts.default_permissions:
                names[model, f"{action}_{opts.model_name}"] = (
                    f"可以{ACTIONS.get(action, action)}{opts.verbose_name}"
                )
            for codename, name in opts.permissions:
                names[model, codename] = str(name)
    return names


def permissions_in_chinese(
    sender: AppConfig,
    app_config: AppConfig,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **kwargs: Any,
) -> None:
    """post_migrate: the app's permissions (created first if new) get their Chinese names."""
    if not app_config.models_module:
        return
    try:  # as Django's own receiver: nothing to do before auth and contenttypes are migrated
        permission_model = apps.get_model("auth", "Permission")
        content_type_model = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    # Django creates them in a receiver of its own that may run after this one.
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    for (model, codename), name in permission_names(app_config).items():
        content_type = content_type_model.objects.db_manager(using).get_for_model(
            model, for_concrete_model=False
        )
        permission_model.objects.using(using).filter(
            content_type=content_type, codename=codename
        ).exclude(name=name).update(name=name[:255])
