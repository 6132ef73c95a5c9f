"""The cluster (tests/cluster/harness.py), started once for the module's tests, and the
figures they measured printed at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.cluster.harness import Cluster, Unavailable, cluster

FIGURES: dict[str, Any] = {}


@pytest.fixture(scope="session")
def kanwu_cluster() -> Iterator[Cluster]:
    try:
        with cluster() as running:
            FIGURES.update(running.figures)
            running.figures = FIGURES
            for note in running.notes:
                print(f"\ncluster: {note}")
            yield running
    except Unavailable as reason:
        pytest.skip(f"cluster tests skipped: {reason}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("kanwu cluster: measured")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
