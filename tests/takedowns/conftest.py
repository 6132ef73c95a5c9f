from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _workflow_settings(settings: Any, tmp_path: Path) -> None:
    """No waiting for the spam timer, and private files in this test's own folder."""
    settings.KANWU_WORKFLOW_MIN_SECONDS = 0
    settings.DATA_DIR = tmp_path
