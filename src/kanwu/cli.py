"""The `kanwu` command: Django's management commands with kanwu's settings.

`kanwu` alone (or `kanwu help`) lists kanwu's own commands first, each with its Chinese
description, then Django's and Wagtail's by name. kanwu's commands that need the database
stop with a Chinese message, not a traceback, when it has not been set up (`kanwu migrate`).
"""

from __future__ import annotations

import os
import sys

# Commands that work on an empty or older (unmigrated) database: restoring into one, and
# backing one up (before migrating it, say).
WITHOUT_DATABASE = {"migrate", "restore", "backup"}
# Long-running processes start even when the database cannot be reached (yet): they answer
# 503 (/healthz, pages) until it is back, instead of exiting.
PATIENT = {"serve", "worker"}


def _kanwu_commands() -> dict[str, str]:
    from django.core.management import get_commands, load_command_class

    return {
        name: str(load_command_class(app, name).help).splitlines()[0]
        for name, app in sorted(get_commands().items())
        if app.startswith("kanwu.")
    }


def overview() -> str:
    from django.core.management import get_commands

    own = _kanwu_commands()
    width = max(map(len, own)) + 2
    lines = [
        "用法：kanwu <命令> [选项]      某个命令的说明：kanwu help <命令>",
        "",
        "kanwu 的命令：",
    ]
    lines += [f"  {name.ljust(width)}{text}" for name, text in own.items()]
    others = sorted(name for name in get_commands() if name not in own)
    lines += ["", "Django 与 Wagtail 的其他命令：", *_wrapped(others)]
    return "\n".join(lines)


def _wrapped(names: list[str], width: int = 96) -> list[str]:
    lines, line = [], " "
    for name in names:
        if len(line) + len(name) + 1 > width:
            lines.append(line)
            line = " "
        line += " " + name
    return [*lines, line]


def unmigrated_message(command: str) -> str | None:
    """A Chinese message when the database lacks kanwu's tables (or cannot be reached, except
    for the PATIENT commands), or None."""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return None if command in PATIENT else f"无法连接数据库：{exc}"
    if not pending:
        return None
    where = settings.DATABASES["default"].get("NAME")
    return (
        f"数据库（{where}）还没有初始化或需要升级：请先运行 kanwu migrate。\n"
        f"如果网站的数据在别的目录，请设置 KANWU_DATA_DIR 指向它（现在是 {settings.DATA_DIR}）。"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanwu.settings.base")
    import django
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    django.setup()
    if not args or args in (["help"], ["-h"], ["--help"]):
        print(overview())
        return
    if args[0] in _kanwu_commands() and args[0] not in WITHOUT_DATABASE and "-h" not in args:
        if (message := unmigrated_message(args[0])) is not None:
            print(message, file=sys.stderr)
            sys.exit(1)
    execute_from_command_line(["kanwu", *args])


if __name__ == "__main__":
    main()
