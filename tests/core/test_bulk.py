"""core.bulk.rows_insert: values of Django's own text, integer, boolean and key fields are
passed as they are where the field would not change them; everything else (JSON, bytes,
dates, a number given as text) still goes through the field's get_db_prep_save."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.db import IntegrityError, connection, transaction
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


def _documents(n: int) -> list[SourceDocument]:
    when = timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6, 7))
    names = ["sha256", "name", "format", "encoding", "chars", "size", "content", "warnings"]
    rows = [(f"{i:064d}", f"文件 {i}", "text", "", i, 0, b"", [], when) for i in range(n)]
    bulk.rows_insert(SourceDocument, [*names, "ingested_at"], rows)
    return list(SourceDocument.objects.order_by("sha256"))


def test_rows_update_writes_each_object_its_own_values() -> None:
    """One executemany UPDATE on SQLite, a COPY into a temporary table and one UPDATE on
    PostgreSQL: either way each row gets its own object's values and no other row changes;
    two calls in one transaction work (the temporary table is gone after each)."""
    docs = _documents(4)
    with transaction.atomic():
        for doc in docs[:3]:
            doc.name, doc.chars, doc.warnings = f"改 {doc.chars}", doc.chars * 10, [doc.chars]
        assert bulk.rows_update(SourceDocument, docs[:3], ["name", "chars", "warnings"]) == 3
        docs[0].name = "再改"
        assert bulk.rows_update(SourceDocument, docs[:1], ["name"]) == 1
    got = list(SourceDocument.objects.order_by("sha256").values_list("name", "chars", "warnings"))
    assert got == [("再改", 0, [0]), ("改 1", 10, [1]), ("改 2", 20, [2]), ("文件 3", 3, [])]


def test_a_refused_bulk_insert_is_djangos_integrity_error() -> None:
    """COPY's errors come out as Django's exceptions, as executemany's do: a caller's
    `except IntegrityError` still catches a duplicate."""
    _documents(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.table_insert(
            SourceDocument._meta.db_table,
            ["sha256", "name", "format", "encoding", "chars", "size", "content", "warnings"],
            [("0" * 64, "dup", "text", "", 1, 0, b"", "[]")],
        )
    assert SourceDocument.objects.count() == 1


@pytest.mark.django_db(databases=[])
def test_collection_paused_resumes_after_the_last_block_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk.collection_paused():
        with bulk.collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still running
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.collection_paused():
            pass
        assert not gc.isenabled()  # off before the block: left off
    finally:
        gc.enable()


def test_rows_update_with_a_guard_writes_only_the_rows_still_as_expected() -> None:
    """`guard`/`expected`: the same statement writes a row only if its guard column still
    holds the value given for its object (the optimistic lock of an import), and returns how
    many it wrote; the other rows keep what they had."""
    docs = _documents(3)
    for doc in docs:
        doc.name = f"改 {doc.chars}"
    with transaction.atomic():
        written = bulk.rows_update(
            SourceDocument, docs, ["name"], guard="chars", expected=[0, 99, 2]
        )
    assert written == 2
    got = list(SourceDocument.objects.order_by("sha256").values_list("name", flat=True))
    assert got == ["改 0", "文件 1", "改 2"]
    with pytest.raises(ValueError):
        bulk.rows_update(SourceDocument, docs, ["name"], guard="chars", expected=[0])


def test_values_update_writes_tuples_by_key_under_the_guard() -> None:
    """`values_update`: rows_update's write from plain values and keys (no instances); with a
    guard only the rows still holding the expected value are written, and the count says so."""
    docs = _documents(3)
    keys = [d.pk for d in docs]
    with transaction.atomic():
        assert bulk.values_update(SourceDocument, ["name"], [["一"], ["二"]], keys[:2]) == 2
        written = bulk.values_update(
            SourceDocument,
            ["name", "chars"],
            [["甲", 10], ["乙", 11], ["丙", 12]],
            keys,
            guard="chars",
            expected=[0, 99, 2],
        )
    assert written == 2
    got = list(SourceDocument.objects.order_by("sha256").values_list("name", "chars"))
    assert got == [("甲", 10), ("二", 1), ("丙", 12)]
    with pytest.raises(ValueError):
        bulk.values_update(SourceDocument, ["name"], [["x"]], keys[:2])


def test_decimal_values_are_prepared_as_the_field_would() -> None:
    """A finite Decimal and None pass as they are (what DecimalField.get_db_prep_save gives);
    text and floats still go through the field, and NaN is still refused by it."""
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from planwatch.projects.models import MonthlyReport

    field = MonthlyReport._meta.get_field("invested_ytd")
    (prepare,) = bulk._preparers([field], connection)
    for value in (Decimal("1000"), Decimal("12.345"), None, "7.5", 2.25):
        assert prepare(value) == field.get_db_prep_save(value, connection)
        assert type(prepare(value)) is type(field.get_db_prep_save(value, connection))
    with pytest.raises(ValidationError):
        prepare(Decimal("NaN"))
