"""The `kanwu` command: Django's management commands with kanwu's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanwu.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kanwu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
