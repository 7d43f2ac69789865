"""`planwatch audit verify`: an intact log says OK; a row altered or deleted behind the
application's back (raw SQL) is detected and the command exits with status 1."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from planwatch.audit.models import AuditEvent
from planwatch.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def write_events(n: int = 3) -> list[AuditEvent]:
    return [
        audit_record(
            actor=None,
            action="test.write",
            target_type="thing",
            target_id=i,
            target_label=f"第 {i} 号",
            old={"value": i},
            new={"value": i + 1, "名称": "宜宾"},
        )
        for i in range(n)
    ]


def run_verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_intact_log_verifies() -> None:
    write_events()
    total = AuditEvent.objects.count()
    code, out = run_verify()
    assert code == 0
    assert f"checked {total} audit events: OK" in out


def test_a_row_altered_with_raw_sql_is_detected() -> None:
    events = write_events()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["forged", events[1].pk])
    _checked, problems = audit_verify()
    assert problems == [f"event {events[1].pk}: content does not match its hash (altered)"]
    code, out = run_verify()
    assert code == 1
    assert f"event {events[1].pk}" in out and "OK" not in out


def test_altered_json_values_are_detected() -> None:
    events = write_events()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET new = %s WHERE id = %s", ['{"value": 99}', events[0].pk]
        )
    assert run_verify()[0] == 1


def test_a_deleted_row_is_detected() -> None:
    events = write_events()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    code, out = run_verify()
    assert code == 1
    assert f"event {events[2].pk}: chain broken" in out


def test_the_newest_row_deleted_is_detected() -> None:
    events = write_events()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])
    code, out = run_verify()
    assert code == 1 and "chain head" in out


def test_the_orm_refuses_to_edit_or_delete_events() -> None:
    event = write_events(1)[0]
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_verify_needs_a_subcommand() -> None:
    with pytest.raises(CommandError):
        call_command("audit")
