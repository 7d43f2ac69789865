"""core.bulk.rows_insert: values of Django's own text, integer, boolean and key fields are
passed as they are where the field would not change them; everything else (JSON, bytes,
dates, a number given as text) still goes through the field's get_db_prep_save."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from planwatch.core import bulk
from planwatch.plans.models import SourceDocument

pytestmark = pytest.mark.django_db


def test_rows_insert_stores_what_save_would(django_user_model: type) -> None:
    user = django_user_model.objects.create(username="bulk-writer")
    when = timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6, 7))
    names = [
        "sha256",
        "name",
        "format",
        "encoding",
        "chars",
        "pages",
        "size",
        "content",
        "warnings",
        "ingested_at",
        "ingested_by_id",
    ]
    rows = [
        (
            "a" * 64,
            "计划.txt",
            "text",
            "",
            12,
            None,
            2**40,
            b"\x00\xff",
            [{"k": "值"}],
            when,
            user.pk,
        ),
        ("b" * 64, "two", "pdf-text", "utf-8", "7", 3, 0, b"", [], when, None),
    ]
    assert bulk.rows_insert(SourceDocument, names, rows) == 2
    first, second = SourceDocument.objects.order_by("sha256")
    assert (first.name, first.chars, first.pages, first.size) == ("计划.txt", 12, None, 2**40)
    assert bytes(first.content) == b"\x00\xff" and first.warnings == [{"k": "值"}]
    assert first.ingested_at == when and first.ingested_by_id == user.pk
    assert (second.chars, second.pages, second.encoding, second.ingested_by_id) == (
        7,
        3,
        "utf-8",
        None,
    )


def test_plain_types_follow_the_field_and_the_backend() -> None:
    meta = SourceDocument._meta
    assert bulk._plain_types(meta.get_field("name")) == {str, type(None)}
    assert bulk._plain_types(meta.get_field("warnings")) == set()  # JSON is always prepared
    assert bulk._plain_types(meta.get_field("ingested_at")) == set()
    integers = bulk._plain_types(meta.get_field("chars"))
    key = bulk._plain_types(meta.get_field("ingested_by"))
    if connection.vendor == "sqlite":
        assert integers == key == {int, type(None)}
    else:
        assert integers == key == set()  # PostgreSQL's backend types integers for psycopg
