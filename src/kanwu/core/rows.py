"""Model instances from a hand-written FROM … WHERE, for the queries every page view makes.

`Model.objects.raw()` matches the result's columns to fields and looks up every field's
database converters on each call: for a page with fifty columns that costs several times the
query itself. Here the SELECT list is the model's concrete fields in the order `from_db`
takes them, and the converters are looked up once per connection.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, Model
from django.db.models.sql import Query

from kanwu.core import private

M = TypeVar("M", bound=Model)
Converters = list[tuple[int, tuple[list[Callable[..., Any]], Any]]]


@dataclass(frozen=True)
class _Plan:
    select: str
    names: tuple[str, ...]
    converters: Converters


_plans: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[type[Model], _Plan]]
_plans = weakref.WeakKeyDictionary()


def _plan(model: type[Model], connection: BaseDatabaseWrapper) -> _Plan:
    plans = _plans.setdefault(connection, {})
    if model not in plans:
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        select = ", ".join(f"{quote(f.model._meta.db_table)}.{quote(f.column)}" for f in fields)
        compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, None)
        columns: list[Expression] = [f.get_col(f.model._meta.db_table) for f in fields]
        converters = private.field_converters(compiler, columns)
        plans[model] = _Plan(select, tuple(f.attname for f in fields), converters)
    return plans[model]


def instances(
    model: type[M], tail: str, params: Sequence[Any], using: str = DEFAULT_DB_ALIAS
) -> list[M]:
    """`SELECT <every concrete field of model> <tail>` as model instances.

    `tail` is the FROM clause and what follows; tables are named in full (the SELECT list
    qualifies each column with its table's name), values travel as `params`.
    """
    connection = connections[using]
    plan = _plan(model, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {plan.select} {tail}", params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row)
        for position, (functions, expression) in plan.converters:
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        found.append(model.from_db(using, plan.names, values))
    return found
