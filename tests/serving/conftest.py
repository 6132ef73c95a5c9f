from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_commands import kanwu


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder migrated, filled with a small demo and with its assets collected,
    shared by every serving test (making one takes a minute)."""
    path = tmp_path_factory.mktemp("kanwu-serving")
    kanwu(path, "migrate", "--noinput", "-v0")
    kanwu(path, "demo", "--articles", "40")
    kanwu(path, "collectstatic", "--noinput", "-v0")
    return path
