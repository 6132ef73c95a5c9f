"""Migration state: what a database has applied, and the models as they were at that state.

A backup records the migrations its database had applied; the neutral copy of each table is
written and read with the models *at that state* (the current models when nothing is
pending, else the historical models Django's migration graph builds), so a table's columns
always match the file, and an older backup loads into a database migrated to its state,
then migrates forward.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.apps import apps as current_apps
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

Key = tuple[str, str]
# Tables the neutral copy leaves out: Wagtail's admin search index has vendor-specific
# columns (tsvectors, an FTS5 table) and is rebuilt from the pages (`kanwu update_index`).
DERIVED_TABLES = {"wagtailsearch_indexentry", "wagtailsearch_indexentry_fts"}


def applied_migrations(alias: str) -> dict[str, list[str]]:
    """{app label: [migration names]} as recorded in the database at `alias`."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    found: dict[str, list[str]] = defaultdict(list)
    for app, name in recorder.applied_migrations():
        found[app].append(name)
    return {app: sorted(names) for app, names in sorted(found.items())}


@lru_cache(maxsize=1)
def loader() -> MigrationLoader:
    """The migration graph of the code running now (no database needed)."""
    return MigrationLoader(None, ignore_no_migrations=True)


def installed_labels() -> set[str]:
    return {config.label for config in current_apps.get_app_configs()}


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """Migrations of installed apps that this code does not have: made by a newer kanwu.

    Apps not installed here (django_rq, installed only with Redis) are left out: they add no
    tables.
    """
    known = set(loader().disk_migrations)
    installed = installed_labels()
    return sorted(
        f"{app}.{name}"
        for app, names in migrations.items()
        if app in installed
        for name in names
        if (app, name) not in known
    )


def applied_nodes(migrations: dict[str, list[str]]) -> set[Key]:
    """The graph's nodes that `migrations` applied (a squash counts when all it replaces is)."""
    applied = {(app, name) for app, names in migrations.items() for name in names}
    graph = loader().graph
    nodes: set[Key] = set()
    for key, migration in graph.nodes.items():
        replaced = [tuple(r) for r in (migration.replaces or [])]
        if key in applied or (replaced and all(r in applied for r in replaced)):
            nodes.add(key)
    return nodes


def targets(nodes: set[Key]) -> list[Key]:
    """Per app, the applied node no other applied node of that app follows."""
    graph = loader().graph
    return sorted(
        key
        for key in nodes
        if not any(
            child.key in nodes and child.key[0] == key[0] for child in graph.node_map[key].children
        )
    )


def is_current(nodes: set[Key]) -> bool:
    """True when `nodes` hold every migration the code has (nothing to migrate)."""
    graph = loader().graph
    installed = installed_labels()
    return all(leaf in nodes for leaf in graph.leaf_nodes() if leaf[0] in installed)


@lru_cache(maxsize=4)
def _historical(leaves: tuple[Key, ...]) -> Any:
    return loader().project_state(nodes=list(leaves), at_end=True).apps


def models_at(migrations: dict[str, list[str]]) -> list[type[Model]]:
    """The concrete, managed models (with many-to-many tables) at this migration state."""
    nodes = applied_nodes(migrations)
    registry: Any = current_apps if is_current(nodes) else _historical(tuple(targets(nodes)))
    return concrete_models(registry.get_models(include_auto_created=True))


def concrete_models(models: Iterable[type[Model]]) -> list[type[Model]]:
    found: dict[str, type[Model]] = {}
    for model in models:
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.db_table in DERIVED_TABLES:
            continue
        found.setdefault(meta.db_table, model)
    return [found[table] for table in sorted(found)]


def dependency_order(models: list[type[Model]]) -> list[type[Model]]:
    """Tables referred to before the tables referring to them (cycles broken by name)."""
    by_table = {m._meta.db_table: m for m in models}
    needs: dict[str, set[str]] = {}
    for model in models:
        table = model._meta.db_table
        needs[table] = set()
        for field in model._meta.local_concrete_fields:
            remote = getattr(field, "remote_field", None)
            if remote is None or not getattr(field, "db_constraint", True):
                continue
            target = remote.model._meta.db_table
            if target != table and target in by_table:
                needs[table].add(target)
    ordered: list[str] = []
    done: set[str] = set()
    pending = sorted(needs)
    while pending:
        ready = [t for t in pending if needs[t] <= done] or [pending[0]]
        for table in ready:
            ordered.append(table)
            done.add(table)
        pending = [t for t in pending if t not in done]
    return [by_table[t] for t in ordered]
