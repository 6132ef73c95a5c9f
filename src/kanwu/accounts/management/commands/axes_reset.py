"""`kanwu axes_reset`: unlock every account and address locked by failed logins (django-axes'
command of the same name, with its output in Chinese)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kanwu.accounts.services import lockouts_release_all


class Command(BaseCommand):
    help = "解除所有因登录失败而被锁定的账号和 IP 地址。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = lockouts_release_all()
        if count:
            self.stdout.write(f"已解除锁定，删除了 {count} 条登录失败记录。")
        else:
            self.stdout.write("没有登录失败记录，无需解锁。")
