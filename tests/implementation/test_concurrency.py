"""Real concurrent writers (threads with their own database connections) on PostgreSQL:
of two people saving the same report version, or approving and returning it at the same
moment, exactly one wins and the other is told."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection

from planwatch.core.workflow import ConcurrentUpdate
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import (
    progress_report_approve,
    progress_report_return,
    progress_report_start,
    progress_report_submit,
    progress_report_update,
)
from planwatch.tasks.models import AnnualList
from tests.factories.implementation import Units
from tests.factories.personas import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (real concurrent writers)"
    ),
]


def _race(*actions: Callable[[], Any]) -> list[str]:
    """Run the actions at the same moment, each on its own connection; 'ok' or the error."""
    barrier = threading.Barrier(len(actions))
    results: list[str] = ["?"] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            action()
            results[i] = "ok"
        except ConcurrentUpdate:
            results[i] = "conflict"
        except Exception as exc:  # reported, not swallowed: the test asserts on it
            results[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# available_apps makes the teardown flush TRUNCATE … CASCADE (other apps' raw tables, such as
# the search index, reference plan nodes).
APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "planwatch.audit",
    "planwatch.orgunits",
    "planwatch.accounts",
    "planwatch.plans",
    "planwatch.tasks",
    "planwatch.reports",
    "planwatch.supervision",
]


@pytest.mark.django_db(transaction=True, available_apps=APPS)
def test_simultaneous_edits_and_reviews(
    issued: AnnualList, units: Units, yibin_reporter_user: Any, yibin_reviewer_user: Any
) -> None:
    colleague = make_user("yb_reporter2", (units.yibin, "reporter"))  # type: ignore[arg-type]
    other_reviewer = make_user("yb_reviewer2", (units.yibin, "unit_reviewer"))  # type: ignore[arg-type]
    task = issued.tasks.get(seq=1)
    report = progress_report_start(
        task=task, unit=units.yibin, period_start=date(2024, 1, 1), actor=yibin_reporter_user
    )
    opened = report.version

    def edit(actor: Any, text: str) -> Callable[[], Any]:
        mine = ProgressReport.objects.get(pk=report.pk)
        return lambda: progress_report_update(
            report=mine,
            actor=actor,
            version=opened,
            completion=10,
            progress_status="in_progress",
            narrative=text,
        )

    results = _race(edit(yibin_reporter_user, "甲"), edit(colleague, "乙"))
    assert sorted(results) == ["conflict", "ok"]
    report.refresh_from_db()
    assert report.narrative == ("甲" if results[0] == "ok" else "乙")
    assert report.version == opened + 1

    progress_report_submit(report=report, actor=yibin_reporter_user)
    first = ProgressReport.objects.get(pk=report.pk)
    second = ProgressReport.objects.get(pk=report.pk)
    results = _race(
        lambda: progress_report_approve(report=first, actor=yibin_reviewer_user),
        lambda: progress_report_return(report=second, actor=other_reviewer, reason="不全"),
    )
    assert sorted(results) == ["conflict", "ok"]
    report.refresh_from_db()
    assert report.history.count() == 2  # submitted + exactly one review step
