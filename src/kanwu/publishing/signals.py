"""Signal receivers: every row of the invalidation registry, carried out by `invalidation`."""

from __future__ import annotations

from kanwu.publishing import invalidation, registry


def connect() -> None:
    registry.connect(invalidation.apply)
