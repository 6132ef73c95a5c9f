"""Background work of a long run of changes (an import), sent in batches.

Saving one imported post queues a dozen tasks (kanwu's search index and 为您推荐, the static
export, Wagtail's reference and search indexes): a 1,000-post import queued about 9,400, and
the worker needed an hour for them. Inside `tasks_batched()`, a task whose path a kind
registered (`batch_kind`) is not queued: the task queue (`core.taskqueue`) hands its
arguments to the kind's `Collector`, and every `chunk` pages, and when the block ends
(also by an exception: the items saved before it still get their work), each kind queues
ONE task doing the work of all it kept, in bulk. The chunk is measured in pages (articles,
columns…); what comes with them (comments, revisions, images) rides along. Elsewhere, and
in other threads (the worker's scheduler), every task is queued as it always was.

    with tasks_batched():
        wordpress_import(path=path)

Chunks and the end are sent after the current transaction commits (at once outside one), so
a batched task never runs before the rows it names are visible. Each kind's task reads the
database as it is when it runs: an object published, edited and withdrawn inside one batch
ends up indexed (or not) as it is then.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import transaction

# Pages one kind keeps before every kind sends what it has (KANWU_TASK_BATCH overrides).
CHUNK = 200

P = ParamSpec("P")
R = TypeVar("R")


class Collector:
    """What one kind keeps of the tasks it stands for during a batch (one per kind and
    batch)."""

    def add(self, task_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Keep the work of one task call (`task_path`, as enqueued with these arguments)."""
        raise NotImplementedError

    def __len__(self) -> int:
        """How many pages (or articles) are waiting: the chunk is measured in these."""
        raise NotImplementedError

    def __bool__(self) -> bool:
        """Whether anything is waiting (a collector may keep more than it counts)."""
        return len(self) > 0

    def send(self) -> None:
        """Queue the task(s) doing the kept work and forget it (called when not empty)."""
        raise NotImplementedError


# task path → (kind, a new collector)
_KINDS: dict[str, tuple[str, Callable[[], Collector]]] = {}
_current: ContextVar[Batch | None] = ContextVar("kanwu_task_batch", default=None)


def batch_kind(*, kind: str, tasks: list[str], collector: Callable[[], Collector]) -> None:
    """Register `kind`: the tasks at these paths are collected by `collector()` in a batch."""
    for path in tasks:
        _KINDS[path] = (kind, collector)


class Batch:
    def __init__(self, chunk: int) -> None:
        self.chunk = chunk
        self.collectors: dict[str, Collector] = {}

    def keep(self, task_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Collect this task call if a kind stands for it; False: queue it as usual."""
        found = _KINDS.get(task_path)
        if found is None:
            return False
        kind, make = found
        collector = self.collectors.get(kind)
        if collector is None:
            collector = self.collectors[kind] = make()
        collector.add(task_path, args, kwargs)
        if len(collector) >= self.chunk:
            transaction.on_commit(self.send_full)
        return True

    def send_full(self) -> None:
        if any(len(collector) >= self.chunk for collector in self.collectors.values()):
            self.send()

    def send(self) -> None:
        """Queue each kind's task for what it kept."""
        token = _current.set(None)  # what the collectors queue goes to the queue
        try:
            for collector in self.collectors.values():
                if collector:
                    collector.send()
        finally:
            _current.reset(token)


def current_batch() -> Batch | None:
    return _current.get()


@contextmanager
def tasks_batched(chunk: int | None = None) -> Iterator[Batch]:
    """Collect the batchable tasks queued inside the block; send them every `chunk` pages
    and at the end. Nested blocks share the outermost batch."""
    if (outer := _current.get()) is not None:
        yield outer
        return
    batch = Batch(chunk or int(getattr(settings, "KANWU_TASK_BATCH", CHUNK)))
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)
        # Work an enclosing transaction's on_commit still owes (the items' own callbacks
        # queue their tasks then) comes after this: it is queued item by item, unbatched.
        transaction.on_commit(batch.send)


def batched(function: Callable[P, R]) -> Callable[P, R]:
    """`function` runs inside `tasks_batched()`: for an import's entry point."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with tasks_batched():
            return function(*args, **kwargs)

    return wrapper
