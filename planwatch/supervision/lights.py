"""Task lights. Every task shows one, computed from its deadline and from its reported
progress against elapsed time (序时进度):

- red: past the deadline and not completed;
- yellow: reported progress behind expected progress by more than the tolerance;
- blue: the deadline is within the warning window (default 15 days);
- green: on schedule, or completed.

Checked in that order, so a task both behind and near its deadline is yellow (it needs a
case, not only a reminder).

Reported progress (`reported_progress`, also behind the dashboards' average) counts
submitted, unit-approved and accepted reports, each unit's latest period:

- once the task's lead unit (牵头单位) has reported, its latest completion — the lead unit
  coordinates the task and files its summary report (汇总), so its figure is the task's;
- until then, the mean over the task's responsible units of each unit's latest completion
  (a unit that has not reported counts as 0; 0 when the task has no responsible unit).

When the lead unit is also a responsible unit, its report is the lead unit's summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.supervision.choices import Light
from planwatch.tasks.choices import TaskStatus
from planwatch.tasks.models import Task

DEFAULT_WARNING_DAYS = 15
DEFAULT_TOLERANCE = Decimal(10)  # percentage points behind expected progress
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LightResult:
    light: Light
    expected: Decimal
    actual: Decimal
    reason: str


def _pct(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected_progress(start: date, deadline: date, today: date) -> Decimal:
    """序时进度: the elapsed share of start..deadline, in percent (0 before, 100 after)."""
    if today <= start:
        return Decimal(0)
    if today >= deadline:
        return HUNDRED
    return _pct((today - start).days / (deadline - start).days * 100)


def reported_progress(tasks: Iterable[Task]) -> dict[int, Decimal]:
    """Reported progress of each task (see the module docstring), in two queries."""
    tasks = list(tasks)
    ids = [t.pk for t in tasks]
    through = Task.responsible_units.through
    units: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in through.objects.filter(task_id__in=ids).values_list(
        "task_id", "orgunit_id"
    ):
        units[task_id].append(unit_id)
    latest: dict[tuple[int, int], Decimal] = {}
    rows = (
        ProgressReport.objects.filter(
            task_id__in=ids, is_current=True, status__in=ReportStatus.REPORTED
        )
        .order_by("period_start")
        .values_list("task_id", "unit_id", "completion")
    )
    for task_id, unit_id, completion in rows:
        latest[(task_id, unit_id)] = completion or Decimal(0)
    result: dict[int, Decimal] = {}
    for task in tasks:
        lead = latest.get((task.pk, task.lead_unit_id)) if task.lead_unit_id else None
        unit_ids = units.get(task.pk, [])
        if lead is not None:
            result[task.pk] = _pct(lead)
        elif unit_ids:
            total = sum((latest.get((task.pk, u), Decimal(0)) for u in unit_ids), Decimal(0))
            result[task.pk] = _pct(total / len(unit_ids))
        else:
            result[task.pk] = Decimal(0)
    return result


def task_light(
    task: Task,
    *,
    today: date,
    warning_days: int = DEFAULT_WARNING_DAYS,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    progress: Decimal | None = None,
) -> LightResult:
    """The task's light on `today`. `progress` (percent) skips the query for it."""
    start = task.start or date(task.year, 1, 1)
    deadline = task.deadline or date(task.year, 12, 31)
    actual = progress if progress is not None else reported_progress([task])[task.pk]
    expected = expected_progress(start, deadline, today)
    if task.status == TaskStatus.COMPLETED or actual >= HUNDRED:
        return LightResult(Light.GREEN, expected, actual, _("已完成"))
    if today > deadline:
        days = (today - deadline).days
        return LightResult(Light.RED, expected, actual, _("已逾期 %(d)d 天") % {"d": days})
    if expected - actual > tolerance:
        reason = _("实际进度 %(a)s%% 落后序时进度 %(e)s%%") % {"a": actual, "e": expected}
        return LightResult(Light.YELLOW, expected, actual, reason)
    if (deadline - today).days <= warning_days:
        days = (deadline - today).days
        return LightResult(Light.BLUE, expected, actual, _("距完成时限 %(d)d 天") % {"d": days})
    return LightResult(Light.GREEN, expected, actual, _("正常推进"))
