"""Bulk writes of model rows without Django's bulk helpers' per-value compilation (issue 15
item 2: imports at spreadsheet speed).

`bulk_update` builds one CASE expression per field over the whole batch and compiles it,
most of a large import's time; `rows_update` sends one parameterised UPDATE per object with
`executemany`. The values go through each field's `get_db_prep_save`, as `save()` does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


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
