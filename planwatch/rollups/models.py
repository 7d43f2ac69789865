"""Per-period summaries (rollups) of the progress reports, kept current by the services that
change reports and tasks, in their own transaction (decision record 0029). The dashboards and
the reporting-health table read them instead of the reports, so they cost the same at 1,000
reports or 1,000,000. Every row can be recomputed from the reports: `planwatch rollup check`
does so and names any difference, `planwatch rollup rebuild` rewrites them."""

from __future__ import annotations

from django.db import models


class RollupSlice(models.Model):
    """One plan's tasks of one year: the unit the summaries are recomputed by. Its row is
    locked (SELECT … FOR UPDATE) while they are, so two writers of the same slice recompute
    one after the other and the later sees the earlier's reports."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("plan", "year"), name="rollupslice_plan_year"),
        )

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}"


class TrendRollup(models.Model):
    """The current, submitted reports of one period on the issued tasks of a plan's year that
    lie in a unit's scope (the unit or one below it is the lead or a responsible unit; None:
    every task of the plan): the sum of their completion, how many, and the latest
    acceptance. The dashboard's trend and 数据截至 add these up."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    completion_sum = models.DecimalField(max_digits=14, decimal_places=1)
    reports = models.PositiveIntegerField()
    last_accepted = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=("unit", "year")),
            models.Index(fields=("plan", "year", "period_start")),
        )

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}·{self.period_start}"


class HealthRollup(models.Model):
    """The report slots of one reporting unit for one period on a plan's scored tasks of one
    year (reports.health): how many were first submitted on time, submitted at all, and
    submitted without evidence. `due` is the slot's due date under the list's frequency; the
    health table adds up the rows due before today."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    due = models.DateField()
    on_time = models.PositiveIntegerField()
    submitted = models.PositiveIntegerField()
    without_evidence = models.PositiveIntegerField()

    class Meta:
        indexes = (
            models.Index(fields=("plan", "year", "period_start")),
            models.Index(fields=("due",)),
        )

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}·{self.period_start}"


class UnchangedRollup(models.Model):
    """How many of a reporting unit's (task, unit) pairs on a plan's scored tasks of one year
    gave the same completion below 100 % in their last three submitted reports."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    pairs = models.PositiveIntegerField()

    class Meta:
        indexes = (models.Index(fields=("plan", "year", "unit")),)

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}"


class TaskRollup(models.Model):
    """The issued tasks of a plan's year in a unit's scope (None: every task of the plan),
    counted by what the dashboard groups them by: status, light ("" for none yet), list
    frequency, start and deadline; with the sum and count of their lights' actual progress
    and the latest day a light was computed."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=16)
    light = models.CharField(max_length=16, blank=True)
    frequency = models.CharField(max_length=16)
    start = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    tasks = models.PositiveIntegerField()
    actual_sum = models.DecimalField(max_digits=14, decimal_places=1)
    actual_n = models.PositiveIntegerField()
    lights_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=("unit", "year")), models.Index(fields=("plan", "year")))

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}·{self.status}·{self.light}"


class MapRollup(models.Model):
    """For the map and the county table: the issued tasks of a plan's year in a unit's scope
    (None: every task of the plan) that name `area` or a unit below it as responsible, and
    how many of them are completed (each task once)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    tasks = models.PositiveIntegerField()
    completed = models.PositiveIntegerField()

    class Meta:
        indexes = (models.Index(fields=("unit", "year")), models.Index(fields=("plan", "year")))

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}·{self.area_id}"


class SlotRollup(models.Model):
    """The (task, reporting unit) pairs of a plan's scored tasks of one year, per reporting
    unit and what fixes their report slots (list frequency, task start and deadline): the
    health table's pairs and due slots."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=16)
    start = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    pairs = models.PositiveIntegerField()

    class Meta:
        indexes = (models.Index(fields=("plan", "year")),)

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}·{self.frequency}"


class LightRollup(models.Model):
    """An issued task of a plan's year with a red or yellow light, once per unit in whose
    scope it lies (None: every task of the plan), with its deadline: the dashboards' red and
    yellow lists take the first 50 of their scope by deadline and id through an index,
    instead of walking the year's tasks and their unit links. The rows shown (title, plan,
    lead unit, progress) are read from the tasks themselves."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    light = models.CharField(max_length=16)
    deadline = models.DateField(null=True, blank=True)
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = (
            models.Index(
                fields=("unit", "year", "light", "deadline", "task"), name="lightrollup_list"
            ),
            models.Index(
                fields=("plan", "year", "light", "deadline", "task"), name="lightrollup_plan"
            ),
        )

    def __str__(self) -> str:
        return f"{self.plan_id}·{self.year}·{self.unit_id}·{self.light}·{self.task_id}"
