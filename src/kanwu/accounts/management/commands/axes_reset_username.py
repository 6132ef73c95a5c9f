"""`kanwu axes_reset_username NAME…`: unlock accounts (django-axes' command, in Chinese)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kanwu.accounts.services import lockout_release


class Command(BaseCommand):
    help = "解除指定账号因登录失败而被锁定的状态。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="+", help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        for username in options["username"]:
            count = lockout_release(username=username)
            if count:
                self.stdout.write(f"账号“{username}”已解锁（删除了 {count} 条登录失败记录）。")
            else:
                self.stdout.write(f"账号“{username}”没有登录失败记录。")
