"""Notification moved from supervision to core (decision record 0014) without touching its
table: a database holding notifications from before the move keeps every row, its unique
constraint and the content type the demo markers point at; the move can be undone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from planwatch.core.models import DemoMarker, Notification

BEFORE = [("supervision", "0002_initial"), ("core", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_notifications_stored_before_the_move_are_core_notifications_after_it() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldNotification = old.get_model("supervision", "Notification")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldDemoMarker = old.get_model("core", "DemoMarker")
    user = User.objects.create(username="before_the_move")
    now = timezone.now()
    first = OldNotification.objects.create(
        recipient_id=user.pk, kind="remind.report", key="k:1", title="请报送进展", created_at=now
    )
    OldNotification.objects.create(
        recipient_id=user.pk, kind="case.assigned", key="k:2", title="督办交办", created_at=now
    )
    old_type = OldContentType.objects.get(app_label="supervision", model="notification")
    OldDemoMarker.objects.create(content_type_id=old_type.pk, object_id=first.pk)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert sorted(Notification.objects.values_list("key", "title")) == [
        ("k:1", "请报送进展"),
        ("k:2", "督办交办"),
    ]
    assert set(user.notifications.values_list("pk", flat=True)) == set(
        OldNotification.objects.values_list("pk", flat=True)
    )
    moved = ContentType.objects.get_for_model(Notification)
    assert (moved.pk, moved.app_label) == (old_type.pk, "core")
    assert not ContentType.objects.filter(app_label="supervision", model="notification").exists()
    assert DemoMarker.ids_among(Notification.objects.all()) == {first.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=user, kind="remind.report", key="k:1", title="again", created_at=now
        )


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone() -> None:
    user = User.objects.create(username="after_the_move")
    note = Notification.objects.create(
        recipient=user,
        kind="report.submitted",
        key="k:3",
        title="请审核",
        created_at=timezone.now(),
    )
    moved = ContentType.objects.get_for_model(Notification)

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    back = old.get_model("supervision", "Notification").objects.get()
    assert (back.pk, back.title) == (note.pk, "请审核")
    assert old.get_model("contenttypes", "ContentType").objects.get(pk=moved.pk).app_label == (
        "supervision"
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Notification.objects.get().pk == note.pk
    assert ContentType.objects.get_for_model(Notification).pk == moved.pk
