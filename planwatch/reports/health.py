"""Reporting health (填报健康度) per reporting unit — the commonest failure of plan
trackers is owners who never report, so it is counted and scored. A task's reporting units
are its responsible units and its lead unit (which files the summary, 汇总), each once:

- pairs: task × reporting unit;
- due: report slots (task × reporting unit × period) whose due date has passed;
- on time / late: first submitted on or before / after the due date (Asia/Shanghai days;
  a report later returned still counts as submitted when it first was);
- missing: due and never submitted;
- without evidence: submitted, and the current revision has no evidence file;
- unchanged: task × unit pairs whose last `unchanged_periods` submitted reports all give
  the same completion below 100 %.

score = 100 × (on_time + ½·late) / due − 20 × without_evidence / submitted
        − 20 × unchanged / pairs, floored at 0; None when nothing is due yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths
from planwatch.core import hooks
from planwatch.core.models import DemoMarker
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.reports.periods import REPORT_DUE_DAYS, periods_between
from planwatch.tasks.choices import ReportingFrequency, TaskStatus
from planwatch.tasks.models import Task
from planwatch.tasks.permissions import can_manage_plan, visible_tasks_q


@dataclass
class UnitHealth:
    unit: OrgUnit
    pairs: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    without_evidence: int = 0
    unchanged: int = 0
    # Some of the row's figures come from demonstration data (see `_mark_demo`).
    demo: bool = False

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def score(self) -> float | None:
        if not self.due:
            return None
        value = (self.on_time + 0.5 * self.late) / self.due
        value -= 0.2 * self.without_evidence / max(self.submitted, 1)
        value -= 0.2 * self.unchanged / max(self.pairs, 1)
        return round(max(0.0, 100 * value), 1)


@dataclass(frozen=True)
class _Scored:
    """The tasks whose reporting is scored — issued, of `plan` when given, visible to the
    viewer — as a filter on Task or on a model that reaches it through `prefix` ("task__").
    Written as conditions on the task rather than `task__in=<subquery>`, so PostgreSQL starts
    from the plan's tasks and reads their reports by index instead of scanning them all."""

    plan: Plan | None
    visible: Q | None  # visible_tasks_q(viewer); None when it keeps every task anyway
    year: int | None = None  # one year's tasks (the summaries are kept per plan and year)

    def q(self, prefix: str = "") -> Q:
        query = Q(
            **{
                f"{prefix}annual_list__issued_number__gte": 1,
                f"{prefix}status__in": (TaskStatus.ACTIVE, TaskStatus.COMPLETED),
            }
        )
        if self.year is not None:
            query &= Q(**{f"{prefix}year": self.year})
        if self.plan is not None:
            query &= Q(**{f"{prefix}plan": self.plan})
        if self.visible is not None:
            # The visibility filter joins the unit links: a subquery, and only when needed.
            seen = Task.objects.filter(self.visible).order_by().values("pk")
            query &= Q(**{f"{prefix}pk__in": seen})
        return query


def _scored(user: Any, plan: Plan | None) -> _Scored | None:
    """The scored tasks for `user` (None: the user sees no table)."""
    if not (has_role(user, Role.PLANNER) or has_role(user, Role.LEADER)):
        return None
    every = _sees_every_scored_task(user, plan)
    return _Scored(plan, None if every else visible_tasks_q(user))


def _sees_every_scored_task(user: Any, plan: Plan | None) -> bool:
    """Whether `visible_tasks_q(user)` keeps every issued task (of `plan`): the plan's
    planners and the leaders of its zone see all of its issued tasks; a superuser or a
    province-wide planner sees every task of every plan."""
    if plan is not None:
        zone = plan.org_unit
        return can_manage_plan(user, plan) or (
            zone is not None and has_role(user, Role.LEADER, zone)
        )
    if getattr(user, "is_superuser", False):
        return True
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


Shape = tuple[int, str, date | None, date | None]  # year, frequency, start, deadline


def _slot_groups(scored: _Scored) -> list[tuple[int, Shape, int]]:
    """(unit, task shape, number of tasks) over the reporting units of the scored tasks: the
    responsible units, and the lead unit where it is not also responsible. One query."""
    through = Task.responsible_units.through
    shape = ("task__year", "task__annual_list__frequency", "task__start", "task__deadline")
    responsible = (
        through.objects.filter(scored.q("task__"))
        .values_list("orgunit_id", *shape)
        .annotate(n=Count("*"))
        .order_by()
    )
    lead_also_responsible = through.objects.filter(
        task_id=OuterRef("pk"), orgunit_id=OuterRef("lead_unit_id")
    )
    lead = (
        Task.objects.filter(scored.q(), lead_unit__isnull=False)
        .exclude(Exists(lead_also_responsible))
        .values_list("lead_unit_id", "year", "annual_list__frequency", "start", "deadline")
        .annotate(n=Count("*"))
        .order_by()
    )
    return [
        (unit_id, (year, frequency, start, deadline), n)
        for unit_id, year, frequency, start, deadline, n in responsible.union(lead, all=True)
    ]


def _count_slots(
    table: dict[int, UnitHealth], groups: list[tuple[int, Shape, int]], today: date
) -> None:
    """Pairs and due slots per unit: the task × unit pairs are grouped by what fixes their
    periods (year, frequency, start, deadline), so the periods are listed once per group."""
    units = OrgUnit.objects.in_bulk({unit_id for unit_id, _shape, _n in groups})
    due_per_shape: dict[Shape, int] = {}
    for unit_id, shape, n in groups:
        if shape not in due_per_shape:
            due_per_shape[shape] = sum(p.due < today for p in periods_between(*shape))
        h = table.setdefault(unit_id, UnitHealth(units[unit_id]))
        h.pairs += n
        h.due += n * due_per_shape[shape]


class _PeriodDue(Func):
    """The due date of the period that starts on `start` and lasts `months` months, as
    reports.periods fixes it: its last day plus REPORT_DUE_DAYS, i.e. the day the next period
    starts plus REPORT_DUE_DAYS − 1 (tests/reports/test_health_reference.py checks it
    against every period of several years). Computed per row from the list's *current*
    frequency, not read from the due date stored with a report, which a later change of
    frequency leaves behind."""

    output_field = DateField()

    def _args(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        start, start_params = compiler.compile(self.source_expressions[0])
        months, months_params = compiler.compile(self.source_expressions[1])
        return start, months, [*start_params, *months_params]

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        start, months, params = self._args(compiler, connection)
        days = REPORT_DUE_DAYS - 1
        return f"(({start}) + make_interval(months => {months}, days => {days}))::date", params

    def as_sqlite(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        start, months, params = self._args(compiler, connection)
        days = REPORT_DUE_DAYS - 1
        return f"date({start}, '+' || ({months}) || ' months', '+{days} days')", params


def _slot_reports(scored: _Scored) -> tuple[QuerySet[ProgressReport], ...]:
    """Reports that fill a slot — a task scored, a reporting unit of it, a period of the
    task's year and frequency overlapping its start..deadline — in two disjoint parts: those
    of a responsible unit, and those of the lead unit where it is not also responsible.

    Kept apart (and combined by UNION ALL) because PostgreSQL reads each part from its
    (task, unit) pairs by index, but scans every report when one query ORs the two."""
    responsible = Exists(
        Task.responsible_units.through.objects.filter(
            task_id=OuterRef("task_id"), orgunit_id=OuterRef("unit_id")
        )
    )
    slots = ProgressReport.objects.filter(
        Q(task__annual_list__frequency=ReportingFrequency.MONTHLY)
        | Q(period_start__month__in=(1, 4, 7, 10)),
        Q(task__deadline__isnull=True) | Q(period_start__lte=F("task__deadline")),
        Q(task__start__isnull=True) | Q(period_end__gte=F("task__start")),
        scored.q("task__"),
        period_start__year=F("task__year"),
    ).order_by()
    # The lead unit's part as a semi-join on the task too: PostgreSQL then drives it from the
    # scored tasks, where `unit_id = task.lead_unit_id` alone made it scan every report.
    lead = Exists(Task.objects.filter(pk=OuterRef("task_id"), lead_unit_id=OuterRef("unit_id")))
    return slots.filter(responsible), slots.filter(lead, ~responsible)


def _union_sql(parts: tuple[QuerySet[Any], ...]) -> tuple[str, tuple[Any, ...]]:
    """The SQL of `parts` (the same columns) combined by UNION ALL, for SQL written around."""
    first, *rest = parts
    return first.union(*rest, all=True).order_by().query.sql_with_params()


def _per_slot(reports: QuerySet[ProgressReport]) -> QuerySet[Any]:
    """One row per current report of a slot, with what the counts need: its first
    submission day (of any revision of the slot, in Asia/Shanghai), whether the current
    revision has evidence, and, among the pair's submitted reports, its rank newest first."""
    first = (
        ProgressReport.objects.filter(
            task_id=OuterRef("task_id"),
            unit_id=OuterRef("unit_id"),
            period_start=OuterRef("period_start"),
        )
        .order_by()
        .values("task_id")
        .annotate(first=Min("first_submitted_at"))
        .values("first")
    )
    reported = Case(
        When(status__in=ReportStatus.REPORTED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    months = Case(
        When(task__annual_list__frequency=ReportingFrequency.MONTHLY, then=Value(1)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        reports.filter(is_current=True)
        .annotate(
            # A first revision is its slot's only one: no need to look for earlier ones.
            first=Case(
                When(revision=1, then=F("first_submitted_at")),
                default=Subquery(first, output_field=DateTimeField()),
            ),
            # Named columns, so that the SQL around can refer to them.
            slot_task=F("task_id"),
            slot_unit=F("unit_id"),
            slot_start=F("period_start"),
            slot_due=_PeriodDue(F("period_start"), months),
            slot_completion=F("completion"),
            has_evidence=Exists(Evidence.objects.filter(report_id=OuterRef("pk"))),
            reported=reported,
            # The pair's submitted reports first, newest first: they are ranked 1, 2, ….
            newest=Window(
                RowNumber(),
                partition_by=[F("task_id"), F("unit_id")],
                order_by=[reported.desc(), F("period_start").desc()],
            ),
        )
        .annotate(first_day=TruncDate("first", tzinfo=timezone.get_current_timezone()))
        .values(
            "slot_task",
            "slot_unit",
            "slot_start",
            "slot_due",
            "slot_completion",
            "first_day",
            "has_evidence",
            "reported",
            "newest",
        )
    )


# Whether a pair's last `n` submitted reports (the "tail", a condition on the slot rows)
# give one completion below 100 %: 1 or 0, over the rows of one pair. {tail} and {n} are
# filled in with the query that uses it (the counts below, the rollups' unchanged pairs).
STUCK_SQL = """
    CASE WHEN COUNT(CASE WHEN {tail} THEN 1 END) = {n}
          AND COUNT(CASE WHEN {tail} THEN s.slot_completion END) = {n}
          AND MIN(CASE WHEN {tail} THEN s.slot_completion END)
              = MAX(CASE WHEN {tail} THEN s.slot_completion END)
          AND MAX(CASE WHEN {tail} THEN s.slot_completion END) < 100
         THEN 1 ELSE 0 END"""

# Per pair: on time, submitted and without evidence over its due slots, and whether it is
# stuck (STUCK_SQL); then per unit.
_COUNTS_SQL = """
    SELECT slot_unit, SUM(on_time), SUM(submitted), SUM(without_evidence), SUM(stuck)
    FROM (
        SELECT s.slot_task, s.slot_unit,
            SUM(CASE WHEN {due} AND s.first_day <= s.slot_due THEN 1 ELSE 0 END) AS on_time,
            COUNT(CASE WHEN {due} THEN s.first_day END) AS submitted,
            SUM(CASE WHEN {due} AND s.first_day IS NOT NULL AND NOT s.has_evidence
                     THEN 1 ELSE 0 END) AS without_evidence,
            {stuck} AS stuck
        FROM ({slots}) s
        GROUP BY s.slot_task, s.slot_unit
    ) pairs
    GROUP BY slot_unit""".replace("{stuck}", STUCK_SQL.strip())


def _count_reports(
    table: dict[int, UnitHealth], scored: _Scored, today: date, unchanged_periods: int
) -> None:
    """On time, late, without evidence and unchanged per unit, in one pass over the current
    reports of the slots (`_per_slot`): each due slot counts its current revision with the
    first submission of any revision of the slot; a pair is unchanged when its last
    `unchanged_periods` submitted reports give one completion below 100 %.

    The two levels of grouping (per pair, then per unit) are SQL written around the ORM's
    query. Before, one ORM aggregate repeated the first-submission subquery in each count
    and looked each row's due date up in a CASE over every period, and the unchanged pairs
    took a second pass over the same reports: about twice as slow at 200,000 slots."""
    slots, params = _union_sql(tuple(_per_slot(part) for part in _slot_reports(scored)))
    n = int(unchanged_periods) if unchanged_periods >= 2 else 0  # 0: no pair is ever stuck
    sql = _COUNTS_SQL.format(
        due="s.slot_due < %s",
        tail=f"s.reported = 1 AND s.newest <= {n}",
        n=n,
        slots=slots,
    )
    # The three {due} conditions come before the slots' own parameters in the text.
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(sql, (day, day, day, *params))
        rows = cursor.fetchall()
    for unit_id, on_time, submitted, without_evidence, stuck in rows:
        h = table.get(unit_id)
        if h is None:
            continue
        h.on_time, h.late = int(on_time), int(submitted) - int(on_time)
        h.without_evidence, h.unchanged = int(without_evidence), int(stuck)
    for h in table.values():
        h.missing = h.due - h.on_time - h.late


class HealthSummary(TypedDict):
    """What the `health_summary` hook answers: the slot groups of `_slot_groups` and, per
    unit, (on time, submitted, without evidence, unchanged) over the slots due by today."""

    slots: list[tuple[int, Shape, int]]
    counts: dict[int, tuple[int, int, int, int]]


def _summary(scored: _Scored, today: date, unchanged_periods: int) -> HealthSummary | None:
    """The table's figures from the stored summaries (the `health_summary` hook: rollups),
    when the viewer sees every scored task; None when they must be counted here."""
    if scored.visible is not None:
        return None
    answers = hooks.health_summary.send(
        plan=scored.plan, today=today, unchanged_periods=unchanged_periods
    )
    return next((a for a in answers if a is not None), None)


def _apply_counts(
    table: dict[int, UnitHealth], counts: dict[int, tuple[int, int, int, int]]
) -> None:
    for unit_id, (on_time, submitted, without_evidence, unchanged) in counts.items():
        h = table.get(unit_id)
        if h is None:
            continue
        h.on_time, h.late = on_time, submitted - on_time
        h.without_evidence, h.unchanged = without_evidence, unchanged
    for h in table.values():
        h.missing = h.due - h.on_time - h.late


def _mark_demo(table: dict[int, UnitHealth], scored: _Scored) -> None:
    """Flag the rows of units that report on a task `planwatch demo` created (a DemoMarker):
    their figures come, at least in part, from demonstration data (the demo's reports are
    filed on its own tasks). One query, on the markers of the scored tasks — not
    `DemoMarker.ids_among`, which needs the tasks loaded, and a table may count 50,000."""
    marked = DemoMarker.objects.filter(content_type=ContentType.objects.get_for_model(Task)).values(
        "object_id"
    )
    through = Task.responsible_units.through
    responsible = through.objects.filter(scored.q("task__"), task_id__in=marked).values_list(
        "orgunit_id", flat=True
    )
    lead = Task.objects.filter(scored.q(), pk__in=marked, lead_unit__isnull=False).values_list(
        "lead_unit_id", flat=True
    )
    for unit_id in set(responsible.order_by().union(lead.order_by())):
        if unit_id in table:
            table[unit_id].demo = True


def reporting_health_for(
    *, user: Any, today: date, plan: Plan | None = None, unchanged_periods: int = 3
) -> list[UnitHealth]:
    """The health table for the reporting units of the tasks `user` may see — planners and
    leaders only (anyone else gets an empty table) — worst score first. Four queries: the
    viewer's roles, the slots per unit, the units, the reports, the demonstration data."""
    scored = _scored(user, plan)
    if scored is None:
        return []
    table: dict[int, UnitHealth] = {}
    summary = _summary(scored, today, unchanged_periods)
    if summary is not None:
        _count_slots(table, summary["slots"], today)
        _apply_counts(table, summary["counts"])
    else:
        _count_slots(table, _slot_groups(scored), today)
        if table:
            _count_reports(table, scored, today, unchanged_periods)
    if table:
        _mark_demo(table, scored)
    rows = [h for h in table.values() if _in_scope(user, h.unit)]
    return sorted(rows, key=lambda h: (h.score is None, h.score or 0, h.unit.path))


def _in_scope(user: Any, unit: OrgUnit) -> bool:
    """A unit's row is shown to planners and leaders whose scope covers it (a zone covers its
    cities); departments sit beside the zones, so their rows go to whoever sees the tasks."""
    return (
        unit.kind == OrgUnitKind.DEPARTMENT
        or has_role(user, Role.PLANNER, unit)
        or has_role(user, Role.LEADER, unit)
    )
