"""Wagtail's own background work, batched during an import (`core.batching`).

Wagtail queues `update_reference_index_task` and modelsearch `insert_or_update_object_task`
for every save of a page, revision, image…: three or four per imported post. In a batch
these are kept as (app label, model name, pk) and done here in bulk: each object's
references once, and Wagtail's search entries with one `add_bulk` per model (Wagtail's
per-object path also recomputes the title norms of the whole index after each object), the
references with one read, insert and delete per model instead of three statements an object.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django_tasks import task
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from modelsearch.backends import get_search_backends
from wagtail.models import Page, ReferenceIndex

from kanwu.core import private
from kanwu.core.batching import Collector, batch_kind

REFERENCES_TASK = "wagtail.tasks.update_reference_index_task"
SEARCH_TASK = "modelsearch.tasks.insert_or_update_object_task"
STATEMENT_IDS = 500  # ids named in one statement


def _by_model(objects: Iterable[list[str]]) -> dict[type[models.Model], list[str]]:
    grouped: dict[type[models.Model], list[str]] = defaultdict(list)
    for app_label, model_name, pk in objects:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue  # a model gone since
        grouped[model].append(pk)
    return grouped


def _parent(instance: models.Model) -> models.Model | None:
    """The object whose references a child object's (a ParentalKey) are recorded under, as
    Wagtail's `update_reference_index_task` finds it; None if it has none."""
    while True:
        keys = [f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)]
        if not keys:
            return instance
        parent = getattr(instance, keys[0].name)
        if parent is None:
            return None
        instance = parent


def _loaded(model: type[models.Model], pks: list[str]) -> Iterable[models.Model]:
    """The objects of `model` with these pks that still exist, their child objects (what
    the reference index also reads) fetched together."""
    queryset = model._default_manager.filter(pk__in=pks)
    if issubclass(model, ClusterableModel):
        queryset = queryset.prefetch_related(
            *(relation.get_accessor_name() for relation in get_all_child_relations(model))
        )
    return queryset


def references_write(model: type[models.Model], objects: list[models.Model]) -> None:
    """Record the outbound references of these objects of `model` in Wagtail's reference
    index, as `ReferenceIndex.create_or_update_for_object` does one by one, in a few
    statements: one read of what is recorded, one insert, one delete."""
    types = [
        ContentType.objects.get_for_model(m, for_concrete_model=False)
        for m in [model, *model._meta.get_parent_list()]
    ]
    content_type, base = types[0], types[-1]
    known = {t.pk for t in types}
    found = {str(obj.pk): private.references_of(obj) for obj in objects}
    recorded: dict[str, dict[tuple[Any, ...], tuple[int, int]]] = defaultdict(dict)
    ids = list(found)
    for start in range(0, len(ids), STATEMENT_IDS):
        rows = ReferenceIndex.objects.filter(
            base_content_type=base, object_id__in=ids[start : start + STATEMENT_IDS]
        ).values_list(
            "object_id", "id", "content_type_id", "to_content_type_id", "to_object_id",
            "model_path", "content_path",
        )  # fmt: skip
        for object_id, pk, type_id, *reference in rows:
            recorded[object_id][tuple(reference)] = (type_id, pk)
    new = [
        ReferenceIndex(
            content_type=content_type,
            base_content_type=base,
            object_id=object_id,
            to_content_type_id=to_type,
            to_object_id=to_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=private.reference_path_hash(content_path),
        )
        for object_id, references in found.items()
        for to_type, to_id, model_path, content_path in references - recorded[object_id].keys()
    ]
    # A record under a type this model does not know is a subclass's (a page indexed as a
    # plain Page): it stays, as Wagtail leaves it.
    gone = [
        pk
        for object_id, records in recorded.items()
        for reference, (type_id, pk) in records.items()
        if reference not in found[object_id] and type_id in known
    ]
    ignore = {"ignore_conflicts": True} if connection.features.supports_ignore_conflicts else {}
    with transaction.atomic():
        ReferenceIndex.objects.bulk_create(new, batch_size=STATEMENT_IDS, **ignore)
        for start in range(0, len(gone), STATEMENT_IDS):
            ReferenceIndex.objects.filter(pk__in=gone[start : start + STATEMENT_IDS]).delete()


@task()
def wagtail_references_update(objects: list[list[str]]) -> int:
    """Record the references of these objects (app label, model name, pk) in Wagtail's
    reference index; objects deleted since are skipped. Returns how many were recorded."""
    owners: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    for model, pks in _by_model(objects).items():
        for instance in _loaded(model, pks):
            owner = _parent(instance)
            if owner is not None and ReferenceIndex.is_indexed(owner._meta.model):
                owners[owner._meta.model].setdefault(owner.pk, owner)
    for model, by_pk in owners.items():
        references_write(model, list(by_pk.values()))
    return sum(map(len, owners.values()))


@task()
def wagtail_search_update(objects: list[list[str]]) -> int:
    """Index these objects (app label, model name, pk) in Wagtail's search backends, one bulk
    add per model, as modelsearch's task does one by one. Returns how many were indexed."""
    found: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    for model, pks in _by_model(objects).items():
        for instance in model._default_manager.filter(pk__in=pks):
            indexed = instance.get_indexed_instance()  # type: ignore[attr-defined]
            if indexed is not None:
                found[type(indexed)][indexed.pk] = indexed
    backends = list(get_search_backends(with_auto_update=True))
    count = 0
    for model, by_pk in found.items():
        live = set(
            model.get_indexed_objects()  # type: ignore[attr-defined]
            .filter(pk__in=list(by_pk))
            .values_list("pk", flat=True)
        )
        chosen = [obj for pk, obj in by_pk.items() if pk in live]
        if not chosen:
            continue
        for backend in backends:
            with transaction.atomic():
                backend.add_bulk(model, chosen)
        count += len(chosen)
    return count


class WagtailObjects(Collector):
    """The objects whose Wagtail task a batch kept; sent as one bulk task. Its size is the
    pages among them: the comments, revisions and images that come with pages ride along."""

    def __init__(self, bulk_task: Any) -> None:
        self.bulk_task = bulk_task
        self.objects: dict[tuple[str, str, str], None] = {}
        self.pages: set[tuple[str, str, str]] = set()

    def add(self, task_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        named = dict(zip(("app_label", "model_name", "pk"), args, strict=False)) | kwargs
        key = (str(named["app_label"]), str(named["model_name"]), str(named["pk"]))
        self.objects[key] = None
        try:
            if issubclass(apps.get_model(key[0], key[1]), Page):
                self.pages.add(key)
        except LookupError:
            pass

    def __len__(self) -> int:
        return len(self.pages)

    def __bool__(self) -> bool:
        return bool(self.objects)

    def send(self) -> None:
        self.bulk_task.enqueue([list(key) for key in self.objects])
        self.objects.clear()
        self.pages.clear()


def connect() -> None:
    batch_kind(
        kind="wagtail-references",
        tasks=[REFERENCES_TASK],
        collector=lambda: WagtailObjects(wagtail_references_update),
    )
    batch_kind(
        kind="wagtail-search",
        tasks=[SEARCH_TASK],
        collector=lambda: WagtailObjects(wagtail_search_update),
    )
