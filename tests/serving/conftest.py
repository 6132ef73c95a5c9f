from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.core.test_commands import TEST_ENV, kanwu

REDIS_URL = os.environ.get("KANWU_TEST_SERVING_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder migrated, filled with a small demo and with its assets collected,
    shared by every serving test (making one takes a minute).

    In the PostgreSQL run (KANWU_TEST_DATABASE_URL set) the site lives in a scratch
    PostgreSQL database of its own, with Redis as its cache, page store and task queue: the
    same tests then hold for the scaled-out setup.
    """
    path = tmp_path_factory.mktemp("kanwu-serving")
    scratch = _postgres_and_redis(path)
    kanwu(path, "migrate", "--noinput", "-v0")
    kanwu(path, "demo", "--articles", "40")
    kanwu(path, "collectstatic", "--noinput", "-v0")
    yield path
    if scratch is not None:
        scratch()


def _postgres_and_redis(path: Path) -> Callable[[], None] | None:
    url = os.environ.get("KANWU_TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    import psycopg
    import redis

    server, _, _ = url.rpartition("/")
    name = f"kanwu_serving_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    (path / TEST_ENV).write_text(
        json.dumps({"DATABASE_URL": f"{server}/{name}", "REDIS_URL": REDIS_URL})
    )

    def drop() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(REDIS_URL).flushdb()

    return drop
