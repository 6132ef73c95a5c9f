"""`kanwu axes_reset_ip ADDRESS…`: unlock addresses (django-axes' command, in Chinese)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.accounts.services import lockout_release
from kanwu.core.proxies import parse_address


class Command(BaseCommand):
    help = "解除指定 IP 地址因登录失败而被锁定的状态。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ip", nargs="+", help="IP 地址")

    def handle(self, *args: Any, **options: Any) -> None:
        for raw in options["ip"]:
            address = parse_address(raw)
            if address is None:
                raise CommandError(f"“{raw}”不是有效的 IP 地址。")
            count = lockout_release(ip_address=str(address))
            if count:
                self.stdout.write(f"IP 地址 {address} 已解锁（删除了 {count} 条登录失败记录）。")
            else:
                self.stdout.write(f"IP 地址 {address} 没有登录失败记录。")
