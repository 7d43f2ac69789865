"""Bulk writes of model rows without Django's bulk helpers' per-value compilation (issue 15
item 2: imports at spreadsheet speed).

`bulk_update` builds one CASE expression per field over the whole batch and compiles it,
most of a large import's time; `rows_update` sends one parameterised UPDATE per object with
`executemany`. The values go through each field's `get_db_prep_save`, as `save()` does.

On PostgreSQL, inserts go through COPY and updates through COPY into a temporary table and
one UPDATE … FROM it (`table_insert`, `rows_update`): Django's psycopg cursor binds every
parameter on the client, and an `executemany` sends each row as a statement of its own that
the server parses and plans again — both more than the rows cost to store."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection, connections, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations

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


def _plain_types(field: Any, conn: Any = None) -> frozenset[type]:
    """The value types that `field.get_db_prep_save` returns unchanged on `conn` (the default
    connection unless given), so that the bulk writes pass them as they are (most of an
    ingest's or an import's values: text, integers and keys, None) instead of half a dozen
    calls through the connection proxy per value: a str for Django's own text fields; an int
    for its integer fields and keys to them where the backend does not wrap integers (SQLite;
    PostgreSQL's backend types them for the driver); a bool for a BooleanField; a float for a
    FloatField; None for all of these. Any other field, or value, goes through
    `get_db_prep_save`."""
    own = not isinstance(field, models.ForeignKey)
    kind = type(field.target_field if not own else field)
    if kind in _TEXT_FIELDS and own:
        return frozenset({str, type(None)})
    if kind is models.BooleanField and own:
        return frozenset({bool, type(None)})
    if kind is models.FloatField and own:
        return frozenset({float, type(None)})
    if kind in _INTEGER_FIELDS and _plain_integers(conn):
        return frozenset({int, type(None)})
    return frozenset()


def _plain_integers(conn: Any = None) -> bool:
    """Whether the backend passes integer field values to the driver unchanged."""
    adapt = type((conn or connection).ops).adapt_integerfield_value
    return adapt is BaseDatabaseOperations.adapt_integerfield_value


def _preparers(fields: Sequence[Any], conn: Any) -> list[Any]:
    """For each field, a function of a value giving what `get_db_prep_save` gives for it on
    `conn` (the real connection, not the proxy), short-cut for plain values."""
    return [
        _decimal_preparer(f.get_db_prep_save, conn)
        if _plain_decimals(f, conn)
        else _preparer(f.get_db_prep_save, _plain_types(f, conn), conn)
        for f in fields
    ]


def _plain_decimals(field: Any, conn: Any) -> bool:
    """Whether `field` is Django's own DecimalField on a backend that passes a Decimal to
    the driver unchanged (`adapt_decimalfield_value` not overridden: SQLite, PostgreSQL)."""
    adapt = type(conn.ops).adapt_decimalfield_value
    return (
        type(field) is models.DecimalField
        and adapt is BaseDatabaseOperations.adapt_decimalfield_value
    )


def _decimal_preparer(prep: Any, conn: Any) -> Any:
    """A finite Decimal as it is (what DecimalField.get_db_prep_save gives for it: an equal
    Decimal, through `to_python`) and None as it is, anything else (text, a float, NaN:
    an error) through the field."""

    def prepare(value: Any) -> Any:
        if value is None or (type(value) is Decimal and value.is_finite()):
            return value
        return prep(value, conn)

    return prepare


def _preparer(prep: Any, plain: frozenset[type], conn: Any) -> Any:
    if plain:
        return lambda value: value if type(value) in plain else prep(value, conn)
    # Other values (times, dates, decimals, JSON) through the field, the last one remembered:
    # a batch's rows share their time stamps and often their dates.
    last: list[Any] = [_UNSET, None]

    def prepare(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, prep(value, conn)
        return last[1]

    return prepare


_UNSET = object()


def rows_update(
    model: type[models.Model],
    objs: Sequence[Any],
    field_names: Sequence[str],
    *,
    guard: str | None = None,
    expected: Sequence[Any] | None = None,
) -> int:
    """Write `field_names` of every object of `objs` (saved instances of `model`, each
    once) to its row, in the caller's transaction; the number of objects. One `executemany`
    UPDATE, or on PostgreSQL a COPY and one UPDATE (`_copy_update`).

    With `guard` (a field name) and `expected` (one value an object, in the order of
    `objs`), an object's row is written only if its `guard` column holds the expected
    value (an optimistic lock, checked by the same statement): the number of rows
    written, which the caller compares with `len(objs)`."""
    if not objs:
        return 0
    fields: list[Any] = [model._meta.get_field(name) for name in field_names]
    names = [f.attname for f in fields]
    return values_update(
        model,
        field_names,
        [[getattr(o, name) for name in names] for o in objs],
        [o.pk for o in objs],
        guard=guard,
        expected=expected,
    )


def values_update(
    model: type[models.Model],
    field_names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    keys: Sequence[Any],
    *,
    guard: str | None = None,
    expected: Sequence[Any] | None = None,
) -> int:
    """`rows_update` without model instances: `rows` (attribute values of `field_names`,
    a foreign key by its `<name>_id`) written to the rows of `model` whose primary keys
    are `keys` (one a row, each once), in the caller's transaction; with `guard` and
    `expected` (one value a row) only where the `guard` column holds the expected value.
    The number of rows given, or with `guard` the number written. For a caller that
    read the rows as tuples (`values_list`): building an instance a row to write it
    back costs more than the write."""
    if not rows:
        return 0
    if len(keys) != len(rows):
        raise ValueError("values_update: one key a row")
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in field_names]
    qn = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    guarded: Any = meta.get_field(guard) if guard is not None else None
    if guarded is not None and (expected is None or len(expected) != len(rows)):
        raise ValueError("values_update: one expected value a row")
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "
        + ", ".join(f"{qn(f.column)} = %s" for f in fields)
        + f" WHERE {qn(str(pk.column))} = %s"
        + (f" AND {qn(str(guarded.column))} = %s" if guarded is not None else "")
    )
    conn = connections[connection.alias]
    preps = _preparers(fields, conn)
    params = [
        [prep(v) for prep, v in zip(preps, row, strict=True)] + [key]
        for row, key in zip(rows, keys, strict=True)
    ]
    if guarded is not None:
        assert expected is not None
        prep_guard = _preparers([guarded], conn)[0]
        for row, value in zip(params, expected, strict=True):
            row.append(prep_guard(value))
    if connection.vendor == "postgresql":
        written = _copy_update(
            meta.db_table,
            [str(f.column) for f in fields],
            str(pk.column),
            params,
            guard=str(guarded.column) if guarded is not None else None,
        )
        return written if guarded is not None else len(rows)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        written = cursor.rowcount
    return written if guarded is not None else len(rows)


def _copy_update(
    table: str,
    columns: Sequence[str],
    key: str,
    rows: Sequence[Sequence[Any]],
    *,
    guard: str | None = None,
) -> int:
    """PostgreSQL: `rows` (values of `columns`, then the key, then with `guard` the value
    that column must hold) COPYed into a temporary table of the same column types, then one
    UPDATE of `table` from it; the number of rows it changed. The same rows change as with
    one UPDATE per row, provided no key appears twice (a batch of distinct objects)."""
    qn = connection.ops.quote_name
    scratch = qn(f"_pw_update_{table}")
    names = [*columns, key]
    expected = "_pw_expected"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS SELECT "
            + ", ".join(qn(c) for c in names)
            + (f", {qn(guard)} AS {qn(expected)}" if guard is not None else "")
            + f" FROM {qn(table)} WITH NO DATA"
        )
        _copy(cursor, scratch, [*names, expected] if guard is not None else names, rows)
        cursor.execute(
            f"UPDATE {qn(table)} AS t SET "
            + ", ".join(f"{qn(c)} = s.{qn(c)}" for c in columns)
            + f" FROM {scratch} AS s WHERE t.{qn(key)} = s.{qn(key)}"
            + (f" AND t.{qn(guard)} = s.{qn(expected)}" if guard is not None else "")
        )
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {scratch}")
    return int(written)


def _copy(
    cursor: Any, table_sql: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY `rows` into `table_sql` (already quoted) through Django's `cursor`, database
    errors raised as Django's (an IntegrityError stays one)."""
    qn = connection.ops.quote_name
    sql = f"COPY {table_sql} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def table_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert `rows` (values ready for the driver, in the order of the database `columns`)
    into `table`, in the caller's transaction, in the order given (serial keys follow it):
    COPY on PostgreSQL, one `executemany` INSERT elsewhere. The number of rows."""
    if not rows:
        return 0
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, qn(table), columns, rows)
        else:
            cursor.executemany(
                f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES ("
                + ", ".join(["%s"] * len(columns))
                + ")",
                rows,
            )
    return len(rows)


def rows_insert(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert `rows` (tuples of attribute values in the order of `field_names`: a foreign
    key by its `<name>_id`) into `model`'s table in the order given (`table_insert`: COPY
    on PostgreSQL, one `executemany` elsewhere), in the caller's transaction; the number of
    rows. For rows whose new keys the caller does not need:
    `bulk_create` builds a model instance and compiles every value of every row, most of a
    large ingest's store time. The values go through each field's `get_db_prep_save`, as
    `bulk_create` does; no signals are sent (`bulk_create` sends none either)."""
    if not rows:
        return 0
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in field_names]
    preps = _preparers(fields, connections[connection.alias])
    params = [[prep(v) for prep, v in zip(preps, row, strict=True)] for row in rows]
    return table_insert(meta.db_table, [str(f.column) for f in fields], params)


def objects_insert(model: type[models.Model], objs: Sequence[Any]) -> int:
    """Insert unsaved instances of `model` with `rows_insert` (every concrete field but
    the primary key), in the caller's transaction; the number of objects. `auto_now` and
    `auto_now_add` fields are set to now on the objects first, as `bulk_create` does; the
    new primary keys are not read back (the caller reads them by a key of its own), and no
    signals are sent (`bulk_create` sends none either)."""
    if not objs:
        return 0
    from django.utils import timezone

    meta = model._meta
    fields: list[Any] = [f for f in meta.concrete_fields if not f.primary_key]
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    now = timezone.now()
    for obj in objs:
        for attname in stamped:
            setattr(obj, attname, now)
    return rows_insert(
        model,
        [f.attname for f in fields],
        [[getattr(obj, f.attname) for f in fields] for obj in objs],
    )


_paused = [0]  # how many `collection_paused` blocks are running
_was_enabled = [True]  # whether collection was on when the first of them began
_paused_lock = threading.Lock()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector paused (an import of thousands
    of rows: it allocates enough containers to start several collections, and each full
    one walks every object of the process — a fifth of a 2,000-row import's CPU time on
    PostgreSQL). Memory is still freed by reference counting; cycles made in the block are
    collected after it. Nested or concurrent blocks resume collection when the last ends,
    and only if it was on when the first began."""
    with _paused_lock:
        if _paused[0] == 0:
            _was_enabled[0] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _was_enabled[0]:
                gc.enable()
