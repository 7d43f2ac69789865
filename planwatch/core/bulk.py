"""Bulk writes of model rows without Django's bulk helpers' per-value compilation (issue 15
item 2: imports at spreadsheet speed).

`bulk_update` builds one CASE expression per field over the whole batch and compiles it,
most of a large import's time; `rows_update` sends one parameterised UPDATE per object with
`executemany`. The values go through each field's `get_db_prep_save`, as `save()` does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations


def rows_update(model: type[models.Model], objs: Sequence[Any], field_names: Sequence[str]) -> int:
    """Write `field_names` of every object of `objs` (saved instances of `model`) to its row,
    in the caller's transaction; the number of objects."""
    if not objs:
        return 0
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in field_names]
    qn = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "
        + ", ".join(f"{qn(f.column)} = %s" for f in fields)
        + f" WHERE {qn(str(pk.column))} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk]
        for o in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(objs)


def rows_insert(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert `rows` (tuples of attribute values in the order of `field_names`: a foreign
    key by its `<name>_id`) into `model`'s table with one `executemany`, in the caller's
    transaction; the number of rows. For rows whose new keys the caller does not need:
    `bulk_create` builds a model instance and compiles every value of every row, most of a
    large ingest's store time. The values go through each field's `get_db_prep_save`, as
    `bulk_create` does; no signals are sent (`bulk_create` sends none either)."""
    if not rows:
        return 0
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in field_names]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ("
        + ", ".join(qn(f.column) for f in fields)
        + ") VALUES ("
        + ", ".join(["%s"] * len(fields))
        + ")"
    )
    preps = [f.get_db_prep_save for f in fields]
    plain = [_plain_types(f) for f in fields]
    params = [
        [
            v if type(v) in ok else prep(v, connection)
            for prep, ok, v in zip(preps, plain, row, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)


_TEXT_FIELDS = (models.CharField, models.TextField, models.SlugField)
_INTEGER_FIELDS = (
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
)


def _plain_types(field: Any) -> frozenset[type]:
    """The value types that `field.get_db_prep_save` returns unchanged on this connection, so
    that `rows_insert` passes them as they are (most of an ingest's values: text, integers and
    keys, None): a str for Django's own text fields; an int for its integer fields and keys
    to them where the backend does not wrap integers (SQLite; PostgreSQL's backend types
    them for the driver); a bool for a BooleanField; None for all of these. Any other field,
    or value, goes through `get_db_prep_save`."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    kind = type(target)
    if kind in _TEXT_FIELDS and not isinstance(field, models.ForeignKey):
        return frozenset({str, type(None)})
    if kind is models.BooleanField and not isinstance(field, models.ForeignKey):
        return frozenset({bool, type(None)})
    if kind in _INTEGER_FIELDS and _plain_integers():
        return frozenset({int, type(None)})
    return frozenset()


def _plain_integers() -> bool:
    """Whether the backend passes integer field values to the driver unchanged."""
    adapt = type(connection.ops).adapt_integerfield_value
    return adapt is BaseDatabaseOperations.adapt_integerfield_value
