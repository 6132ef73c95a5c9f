"""The `kanwu` command's own help, and its refusal to run on a database not set up yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deadlines import DEADLINE

pytestmark = pytest.mark.slow


def kanwu(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KANWU_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["KANWU_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "kanwu.cli", *args],
        env=env, capture_output=True, text=True, timeout=DEADLINE * 2, check=False,
    )  # fmt: skip


def test_kanwu_alone_lists_its_own_commands_first_in_chinese(tmp_path: Path) -> None:
    for args in ([], ["help"], ["--help"]):
        result = kanwu(tmp_path, *args)
        assert result.returncode == 0
        own, _, others = result.stdout.partition("Django 与 Wagtail 的其他命令：")
        assert "kanwu 的命令：" in own
        assert "serve" in own and "启动网站" in own
        assert "import-wordpress" in own
        assert "migrate" in others and "migrate" not in own


def test_a_command_before_migrate_says_what_to_run(tmp_path: Path) -> None:
    result = kanwu(tmp_path / "fresh", "demo", "--articles", "3")
    assert result.returncode == 1
    assert "请先运行 kanwu migrate" in result.stderr
    assert "KANWU_DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_column_lists_the_right_ones(tmp_path: Path) -> None:
    assert kanwu(tmp_path, "migrate", "--noinput", "-v0").returncode == 0
    result = kanwu(tmp_path, "import", "http://127.0.0.1:9/a", "--column", "no-such")
    assert result.returncode != 0
    assert "找不到栏目“no-such”" in result.stderr
    assert "Traceback" not in result.stderr
