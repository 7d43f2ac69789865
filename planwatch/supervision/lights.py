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

When the lead unit is also a responsible unit, its report is the lead unit's summary.

Tasks without an end date (完成时限 长期坚持 or 持续推进, `Task.is_ongoing`) are supervised by
period instead (`period_light`): their light comes from the report of the current period —
the latest period of the list's year whose report is due — not from a deadline:

- red: the current period's report has not been filed (by the lead unit, or else by every
  responsible unit) although it was due;
- yellow: it has been filed and says the work is delayed (滞后);
- blue: the next period's report is due within the warning window and not yet filed;
- green: otherwise (filed and on track, or no report due yet)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from planwatch.reports.choices import ProgressStatus, ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.periods import Period, periods_for
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
    if task.is_ongoing and task.status != TaskStatus.COMPLETED:
        return period_light(task, today=today, warning_days=warning_days, progress=progress)
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


def _filed(task: Task, period: Period) -> dict[int, str] | None:
    """{unit id: progress status} of the reports that count as the task's report for the
    period — the lead unit's, else every responsible unit's — or None if it is not filed."""
    rows = ProgressReport.objects.filter(
        task=task,
        period_start=period.start,
        is_current=True,
        status__in=ReportStatus.REPORTED,
    ).values_list("unit_id", "progress_status")
    by_unit = dict(rows)
    if task.lead_unit_id is not None and task.lead_unit_id in by_unit:
        return {task.lead_unit_id: by_unit[task.lead_unit_id]}
    responsible = {u.pk for u in task.responsible_units.all()}
    if responsible and responsible <= by_unit.keys():
        return {u: by_unit[u] for u in responsible}
    return None


def period_light(
    task: Task,
    *,
    today: date,
    warning_days: int = DEFAULT_WARNING_DAYS,
    progress: Decimal | None = None,
) -> LightResult:
    """The light of a task without an end date (长期坚持/持续推进), from the current period's
    report (see the module docstring). There is no 序时进度: expected is shown as the actual."""
    actual = progress if progress is not None else reported_progress([task])[task.pk]
    periods = [
        p
        for p in periods_for(task.year, task.annual_list.frequency)
        if task.start is None or p.end >= task.start
    ]
    due = [p for p in periods if p.due < today]
    upcoming = next((p for p in periods if p.due >= today), None)
    if due:
        current = due[-1]
        filed = _filed(task, current)
        if filed is None:
            reason = _("本期（%(p)s）进展未报送，%(d)s 已截止") % {
                "p": current.label,
                "d": current.due,
            }
            return LightResult(Light.RED, actual, actual, reason)
        if ProgressStatus.DELAYED in filed.values():
            reason = _("本期（%(p)s）报告称进展滞后") % {"p": current.label}
            return LightResult(Light.YELLOW, actual, actual, reason)
    near = upcoming is not None and (upcoming.due - today).days <= warning_days
    if upcoming is not None and near and _filed(task, upcoming) is None:
        reason = _("%(p)s 进展报告将于 %(d)s 截止") % {"p": upcoming.label, "d": upcoming.due}
        return LightResult(Light.BLUE, actual, actual, reason)
    if due:
        return LightResult(Light.GREEN, actual, actual, _("按期报送，持续推进"))
    return LightResult(Light.GREEN, actual, actual, _("首个报送期尚未截止"))
