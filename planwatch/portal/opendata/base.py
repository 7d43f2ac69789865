"""What a dataset is: its columns (the data dictionary), the objects it reads (through
the publication selectors only) and the rows made from them, read in chunks (`CHUNK`
objects, a fixed number of queries each) so a download streams at any size. Labels are
written in Chinese whatever the visitor's language: a file is the same for everyone."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import batched
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import translation

from planwatch.portal.opendata.fields import Field

CHUNK = 500
Row = dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    # the objects a page of the API or a download is read from, in a stable order
    objects: Callable[[], QuerySet[Any]]
    # the rows of a batch of those objects (one or more rows per object)
    rows_of: Callable[[list[Any], str], Iterator[Row]]
    # when its content last changed (beyond publishing and withdrawing)
    changed: Callable[[], datetime | None]

    def rows(self, objects: Iterable[Any] | None = None, *, base: str = "") -> Iterator[Row]:
        """Every row (or those of `objects`), chunk by chunk, labels in Chinese. `base`
        (scheme and host) makes the links absolute."""
        source = self.objects().iterator(chunk_size=CHUNK) if objects is None else objects
        for chunk in batched(source, CHUNK):
            with translation.override("zh-hans"):
                for row in self.rows_of(list(chunk), base):
                    yield {k: finite(v) for k, v in row.items()}

    def count(self) -> int:
        return self.objects().count()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def names_of(units: Iterable[Any]) -> str:
    return "、".join(u.name for u in units)


def latest(qs: QuerySet[Any], field: str) -> datetime | None:
    value = qs.aggregate(m=Max(field))["m"]
    return value if isinstance(value, datetime) else None


def finite(value: Any) -> Any:
    """A float that is not a number or infinite has no place in CSV, JSON or a Table Schema
    `number`: it is written as missing."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)
