"""The database-neutral copy: one JSON-lines file per table, read back into any vendor.

Each file starts with a header (`{"table", "model", "columns"}`) followed by one JSON array
per row in primary-key order. Values are what Django's fields read from the database, in
JSON: datetimes, dates, times and durations as ISO 8601, decimals and UUIDs as strings, bytes
as base64. Rows are read through `iterator()` (a server-side cursor on PostgreSQL) and written
in batches, so memory stays flat whatever the table's size. Loading turns each value back
with the field (`to_python`, then `get_db_prep_save` for the target database), so a SQLite
backup loads into PostgreSQL and the other way round.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.utils.duration import duration_iso_string

from kanwu.backups.archive import BackupError

READ_CHUNK = 2000
WRITE_BATCH = 1000
_PLAIN = (str, int, float, bool, list, dict, type(None))


def _encode(field: Field[Any, Any], value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    prepared = field.get_prep_value(value)
    if prepared is value:
        raise TypeError(f"cannot write {type(value).__name__} of {field}")
    return _encode(field, prepared)


def columns_of(model: type[Model]) -> list[Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def dump_table(model: type[Model], alias: str, out: IO[bytes]) -> int:
    """Write the table of `model` at `alias` as JSON lines; return its rows."""
    fields = columns_of(model)
    header = {
        "table": model._meta.db_table,
        "model": model._meta.label_lower,
        "columns": [f.attname for f in fields],
    }
    out.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
    pk = model._meta.pk
    if pk is None:  # pragma: no cover - every concrete model has one
        raise BackupError(f"数据表 {model._meta.db_table} 没有主键")
    rows = (
        QuerySet(model=model, using=alias)
        .order_by(pk.attname)
        .values_list(*header["columns"])
        .iterator(chunk_size=READ_CHUNK)
    )
    count = 0
    lines: list[bytes] = []
    for row in rows:
        values = [
            value if isinstance(value, _PLAIN) else _encode(field, value)
            for field, value in zip(fields, row, strict=True)
        ]
        lines.append(json.dumps(values, ensure_ascii=False).encode())
        count += 1
        if len(lines) >= WRITE_BATCH:
            out.write(b"\n".join(lines) + b"\n")
            lines.clear()
    if lines:
        out.write(b"\n".join(lines) + b"\n")
    return count


def read_header(stream: IO[bytes]) -> dict[str, Any]:
    try:
        header: dict[str, Any] = json.loads(stream.readline())
    except ValueError as exc:
        raise BackupError(f"中立副本的表头无法解析：{exc}") from exc
    return header


def _converter(field: Field[Any, Any], alias: str) -> Callable[[Any], Any]:
    connection = connections[alias]

    def convert(value: Any) -> Any:
        if value is None:
            return None
        return field.get_db_prep_save(field.to_python(value), connection)

    return convert


def _batches(stream: IO[bytes]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for line in stream:
        if not line.strip():
            continue
        batch.append(json.loads(line))
        if len(batch) >= WRITE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def load_table(model: type[Model], alias: str, stream: IO[bytes]) -> int:
    """Insert the rows of a JSON-lines file (header first) into `model`'s table at `alias`,
    primary keys as they were; return how many."""
    header = read_header(stream)
    fields = {f.attname: f for f in columns_of(model)}
    columns = [str(c) for c in header.get("columns", [])]
    table = model._meta.db_table
    if set(columns) != set(fields):
        missing = sorted(set(fields) - set(columns))
        extra = sorted(set(columns) - set(fields))
        raise BackupError(
            f"备份中表 {table} 的列与数据库结构不一致（缺少 {missing}，多出 {extra}）"
        )
    ordered = [fields[c] for c in columns]
    converters = [_converter(f, alias) for f in ordered]
    connection = connections[alias]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(f.column) for f in ordered)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(ordered))})"
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(stream):
            cursor.executemany(
                sql,
                [
                    [convert(value) for convert, value in zip(converters, row, strict=True)]
                    for row in batch
                ],
            )
            count += len(batch)
    return count
