"""`kanwu ensure_admin`: create the first administrator, once."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "没有管理员时创建一个，并显示一次其密码（或取自 KANWU_ADMIN_PASSWORD）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            self.stdout.write("管理员已存在，跳过创建。")
            return
        given = os.environ.get("KANWU_ADMIN_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        if given:
            self.stdout.write(
                self.style.SUCCESS(f"已创建管理员 {username}，密码取自 KANWU_ADMIN_PASSWORD。")
            )
            return
        self.stdout.write(self.style.SUCCESS(f"已创建管理员 {username}，密码：{password}"))
        self.stdout.write("此密码只显示这一次，请登录 /admin/ 后修改。")
