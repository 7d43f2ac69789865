"""Reads for project pages, each taking the viewer: the 台账 (ledger) of a zone or city with
every project's figures for a month, sorted by 完成率 lowest first; a project's monthly plan
against actual; the reports a viewer may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol, overload

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.fields import FloatField
from django.db.models.functions import Cast, Coalesce, Collate, NullIf

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.projects import methods as m
from planwatch.projects.choices import LightColour, ListSeries, ListVerdict, ProjectStatus
from planwatch.projects.models import (
    AnnualInvestmentPlan,
    MonthlyReport,
    Project,
    ProjectYearFigures,
    QuarterList,
    Segment,
)
from planwatch.projects.permissions import can_manage_project, can_view_report, is_insider
from planwatch.projects.summary import YTD, funds_field, ytd_field
from planwatch.reports.choices import ReportStatus


def visible_projects(user: Any) -> QuerySet[Project]:
    """Confirmed projects (drafts are seen on the planners' pages only)."""
    return Project.objects.filter(merged_into=None, status=ProjectStatus.CONFIRMED)


# The ledger's projects: the fields its rows, export, rates and 双过半 use (not 建设内容, the
# tags and the source references), with the lead unit's name.
LEDGER_FIELDS = (
    "name",
    "code",
    "sector",
    "stage",
    "zone_id",
    "lead_unit_id",
    "lead_unit__name",
    "total_investment",
    "planned_start",
    "planned_completion",
    "actual_start",
    "actual_completion",
    "status",
    "merged_into_id",
)
# The same read as plain values: the project's columns (attnames) in the model's field order,
# as `Model.from_db` wants them, then its lead unit's name.
_LEDGER_COLUMNS = tuple(
    f.attname
    for f in Project._meta.concrete_fields
    if f.attname == "id" or f.attname in LEDGER_FIELDS
)
_LEDGER_VALUES = (*_LEDGER_COLUMNS, "lead_unit__name")


@dataclass(slots=True)
class LedgerRow:
    """A project of the 台账 with its figures. The ledger reads its projects as plain values
    (building a model instance per project cost most of the time of a zone's or the
    province's 台账): the dates and name the sort, the rates and 双过半 use are kept as they
    are, and `project` — a Project as `select_related("lead_unit").only(*LEDGER_FIELDS)`
    would read it — is built on first use, for the rows shown or exported only. `values`:
    the row as read, starting with _LEDGER_VALUES. Slots: a province's 5,000 rows are fewer
    objects for the garbage collector to walk."""

    pk: int
    name: str
    planned_start: date | None
    actual_start: date | None
    planned_completion: date | None
    actual_completion: date | None
    annual_plan: Decimal
    ytd: Decimal
    assessment: m.Assessment
    funds_in_place: Decimal = Decimal(0)
    values: tuple[Any, ...] = field(default=(), repr=False)
    db: str = field(default="default", repr=False)
    _project: Project | None = field(default=None, repr=False, compare=False)

    @property
    def project(self) -> Project:
        if self._project is None:
            n = len(_LEDGER_COLUMNS)
            project = Project.from_db(self.db, _LEDGER_COLUMNS, self.values[:n])
            unit_id = project.lead_unit_id
            unit = (
                None
                if unit_id is None
                else OrgUnit.from_db(self.db, ["id", "name"], [unit_id, self.values[n]])
            )
            Project.lead_unit.field.set_cached_value(project, unit)
            self._project = project
        return self._project


class Keyed(Protocol):
    """A project or a LedgerRow: its id."""

    @property
    def pk(self) -> Any: ...


class Dated(Keyed, Protocol):
    """What 开工率 and 竣工率 read of a project (a Project or a LedgerRow)."""

    @property
    def planned_start(self) -> date | None: ...
    @property
    def actual_start(self) -> date | None: ...
    @property
    def planned_completion(self) -> date | None: ...
    @property
    def actual_completion(self) -> date | None: ...


Within = QuerySet[Project] | None


def _ids(projects: Sequence[Keyed], within: Within) -> Any:
    """The projects' ids for an `IN` filter: the subquery of the queryset they were read by
    (`within`) when given — a long list of ids costs more to send than the subquery to run —
    else the list."""
    if within is not None:
        return within.order_by().values("pk")
    return [p.pk for p in projects]


def _annual_plans(
    projects: Sequence[Keyed], year: int, within: Within = None
) -> dict[int, Decimal]:
    """The year's planned investment per project id (a segmented project's: its segments'
    plans summed), in one query."""
    return _plan_totals(_plan_rows(_ids(projects, within), year))


PlanRow = tuple[int, int | None, Decimal, list[Any] | None]


def _plan_rows(ids: Any, year: int, monthly: bool = False) -> list[PlanRow]:
    """(project id, segment id, amount, monthly amounts when asked else None) of the year's
    plans of the projects `ids` (a list or a subquery)."""
    qs = AnnualInvestmentPlan.objects.filter(project_id__in=ids, year=year).order_by()
    if monthly:
        return list(qs.values_list("project_id", "segment_id", "amount", "monthly"))
    return [
        (pid, sid, a, None) for pid, sid, a in qs.values_list("project_id", "segment_id", "amount")
    ]


def _plan_totals(rows: list[PlanRow]) -> dict[int, Decimal]:
    """The planned investment per project id: its own plan, or its segments' summed."""
    has_segments = {pid for pid, sid, _a, _m in rows if sid is not None}
    plan: dict[int, Decimal] = {}
    for pid, sid, amount, _monthly in rows:
        if (sid is not None) == (pid in has_segments):
            plan[pid] = plan.get(pid, Decimal(0)) + amount
    return plan


def _latest_accepted(
    projects: Sequence[Keyed], year: int, month: int, within: Within = None
) -> dict[int, tuple[Decimal, Decimal]]:
    """(YTD investment, funds in place) per project id from its latest accepted report of
    `year` up to `month` (the project's own and each segment's latest, summed). The database
    looks up each one's latest report in an index (a subquery per project; for segments, a
    window over their rows) instead of returning every month's row."""
    ids = _ids(projects, within)
    out: dict[int, tuple[Decimal, Decimal]] = {}

    def add(pid: int, ytd: Decimal | None, funds: Decimal | None) -> None:
        had = out.get(pid, (Decimal(0), Decimal(0)))
        out[pid] = (had[0] + (ytd or Decimal(0)), had[1] + (funds or Decimal(0)))

    accepted = {"year": year, "month__lte": month, "status": ReportStatus.ACCEPTED}
    # the project's own reports: the partial unique index (project, year, month) of reports
    # without a segment serves each lookup
    own = MonthlyReport.objects.filter(
        project_id=OuterRef("pk"), segment__isnull=True, **accepted
    ).order_by("-month")
    for pid, ytd, funds in (
        Project.objects.filter(pk__in=ids)
        .annotate(
            ytd=Subquery(own.values("invested_ytd")[:1]),
            funds=Subquery(own.values("funds_in_place")[:1]),
        )
        .order_by()
        .values_list("pk", "ytd", "funds")
    ):
        add(pid, ytd, funds)
    segments = list(
        Segment.objects.filter(project_id__in=ids).order_by().values_list("pk", flat=True)
    )
    if segments:
        latest_of_segment = (
            MonthlyReport.objects.filter(segment_id__in=segments, **accepted)
            .annotate(last_month=Window(Max("month"), partition_by=[F("segment_id")]))
            .filter(month=F("last_month"))
            .order_by()
            .values_list("project_id", "invested_ytd", "funds_in_place")
        )
        for pid, ytd, funds in latest_of_segment:
            add(pid, ytd, funds)
    return out


@dataclass
class Figures:
    """A project's annual plan, YTD investment and funds in place at a month's end."""

    annual_plan: Decimal
    ytd: Decimal
    funds_in_place: Decimal


def _figures(
    projects: Sequence[Keyed], year: int, month: int, within: Within = None
) -> dict[int, Figures]:
    """Per project id: the annual plan and, from the accepted reports, YTD investment and
    funds in place (three queries, one row per project or segment each; `within`: the
    queryset that read `projects`, see `_ids`)."""
    plan = _annual_plans(projects, year, within)
    latest = _latest_accepted(projects, year, month, within)
    zero = (Decimal(0), Decimal(0))
    out = {}
    for p in projects:
        ytd, funds = latest.get(p.pk, zero)
        out[p.pk] = Figures(plan.get(p.pk, Decimal(0)), ytd, funds)
    return out


def _ledger(
    *,
    user: Any,
    year: int,
    month: int,
    place: OrgUnit | None = None,
    sector: str = "",
    stage: str = "",
    light: str = "",
) -> list[LedgerRow]:
    """Projects of `place` (a zone: its projects; a city: those built or led there), with their
    figures at the end of (year, month), lowest 完成率 first (no plan last), every one read
    and assessed in Python (the xlsx export, a light filter; `LedgerPage` for the page)."""
    qs = _ledger_projects(user, place, sector, stage)
    # Plain values, not model instances (see LedgerRow): the same columns and order as `qs`,
    # then the YTD and funds in place at the month's end from
    # the project's summary row of the year — ProjectYearFigures, kept current by the report
    # services; no row: 0 — joined, rather than looked up in the reports.
    values = list(
        qs.annotate(
            figures=FilteredRelation("year_figures", condition=Q(year_figures__year=year))
        ).values_list(
            *_LEDGER_VALUES, f"figures__{ytd_field(month)}", f"figures__{funds_field(month)}"
        )
    )
    plan = _plan_totals(_plan_rows(_ids([], qs), year))
    zero = Decimal(0)
    i_ytd = len(_LEDGER_VALUES)
    db = qs.db
    rows = []
    for v in values:
        annual = plan.get(v[0], zero)
        ytd, funds = v[i_ytd] or zero, v[i_ytd + 1] or zero
        row = _ledger_row(v, year, month, annual, ytd, funds, db)
        if light and row.assessment.light != light:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r.assessment.rate is None, r.assessment.rate or 0, r.name))
    return rows


_I_NAME, _I_PS, _I_AS, _I_PC, _I_AC = (
    _LEDGER_VALUES.index(f)
    for f in ("name", "planned_start", "actual_start", "planned_completion", "actual_completion")
)


def _ledger_row(
    v: tuple[Any, ...],
    year: int,
    month: int,
    annual: Decimal,
    ytd: Decimal,
    funds: Decimal,
    db: str,
) -> LedgerRow:
    """A project's row of the 台账 from its values (starting with _LEDGER_VALUES) and figures:
    its assessment at the end of (year, month) by `methods.assess`."""
    started = v[_I_AS] is not None or ytd > 0
    a = m.assess(
        year=year,
        month=month,
        ytd=float(ytd),
        annual_plan=float(annual),
        started=started,
        planned_start=v[_I_PS],
    )
    return LedgerRow(
        v[0], v[_I_NAME], v[_I_PS], v[_I_AS], v[_I_PC], v[_I_AC], annual, ytd, a, funds, v, db
    )


def _ledger_projects(
    user: Any, place: OrgUnit | None, sector: str, stage: str
) -> QuerySet[Project]:
    """The ledger's projects: those of `place` (a zone: its projects; a city: those built or
    led there; None: all) of the sector and stage given (all when empty)."""
    qs = visible_projects(user).select_related("lead_unit").only(*LEDGER_FIELDS)
    if place is not None:
        # EXISTS rather than joins: no DISTINCT over every project row
        qs = qs.filter(
            Q(zone__path__startswith=place.path)
            | Q(lead_unit__path__startswith=place.path)
            | Exists(
                Project.places.through.objects.filter(project_id=OuterRef("pk"), orgunit=place)
            )
            | Exists(Segment.objects.filter(project_id=OuterRef("pk"), place=place))
        )
    if sector:
        qs = qs.filter(sector=sector)
    if stage:
        qs = qs.filter(stage=stage)
    return qs


def ledger(
    *,
    user: Any,
    year: int,
    month: int,
    place: OrgUnit | None = None,
    sector: str = "",
    stage: str = "",
    light: str = "",
) -> list[LedgerRow]:
    """Projects of `place` (a zone: its projects; a city: those built or led there), with their
    figures at the end of (year, month), lowest 完成率 first (no plan last)."""
    return _ledger(
        user=user, year=year, month=month, place=place, sector=sector, stage=stage, light=light
    )


_CENTS = Decimal("0.01")


def _amount(value: Decimal | None) -> Decimal:
    """An amount computed by the database as `ledger` reads or sums it: a zero (or none) is
    Decimal(0) (`ledger` replaces a zero figure by it), any other at the columns' scale of 2
    decimals (PostgreSQL's sums keep it; SQLite returns a computed decimal unscaled)."""
    return value.quantize(_CENTS) if value else Decimal(0)


def _plan(value: Decimal | None) -> Decimal:
    """A plan (or a sum of plans) computed by the database as `ledger` reads or sums it:
    Decimal(0) without any plan, else at the scale of 2 (a stored plan of 0 is 0.00)."""
    return Decimal(0) if value is None else value.quantize(_CENTS)


class LedgerPage(Sequence[LedgerRow]):
    """The 台账 of `place` without a light filter as the page shows it, computed and sorted by
    the database (decision 0033): its rows for one page at a time (`page[a:b]`, what Django's
    Paginator asks for), their number and the rates over all of them, with no Python per
    project beyond the rows shown. The same figures and order as `ledger`:

    - the annual plan is that of `_plan_totals` (a segmented project's: its segments' plans
      summed; its own plan otherwise; 0 without one) — one correlated subquery;
    - the YTD and funds in place are the summary's columns of the month (0 without a row);
    - the order is `ledger`'s: 完成率 (YTD ÷ plan as binary floats, as Python divides them)
      lowest first, no plan last, then the name by code point (PostgreSQL's "C" collation,
      SQLite's binary one, as Python compares strings), then the id (the projects' order
      before Python's stable sort);
    - each shown row is assessed by `methods.assess` in Python, as `ledger` does."""

    def __init__(
        self,
        *,
        user: Any,
        year: int,
        month: int,
        place: OrgUnit | None = None,
        sector: str = "",
        stage: str = "",
    ) -> None:
        self.year, self.month = year, month
        self._projects = _ledger_projects(user, place, sector, stage)
        plan = (
            AnnualInvestmentPlan.objects.filter(project_id=OuterRef("pk"), year=year)
            .order_by()
            .values("project_id")
            .annotate(
                total=Coalesce(
                    Sum("amount", filter=Q(segment__isnull=False)),
                    Sum("amount", filter=Q(segment__isnull=True)),
                )
            )
            .values("total")
        )
        decimal = Project._meta.get_field("total_investment")
        zero = Value(Decimal(0), output_field=decimal)
        self._qs = self._projects.annotate(
            figures=FilteredRelation("year_figures", condition=Q(year_figures__year=year)),
            row_annual=Subquery(plan, output_field=decimal),  # NULL: no plan
            row_ytd=Coalesce(F(f"figures__{ytd_field(month)}"), zero),
            row_funds=Coalesce(F(f"figures__{funds_field(month)}"), zero),
        )
        self._total: int | None = None
        self._rates: Rates | None = None

    def _sorted(self) -> QuerySet[Project]:
        # YTD ÷ plan, NULL without a plan (a plan is never negative); NULLIF rather than a
        # CASE: the plan's subquery runs once per project, not twice
        rate = Cast("row_ytd", FloatField()) / Cast(NullIf("row_annual", Value(0)), FloatField())
        # names by code point, as Python compares them
        collation = {"postgresql": "C", "sqlite": "BINARY"}.get(connections[self._qs.db].vendor)
        name: Any = F("name") if collation is None else Collate(F("name"), collation)
        return self._qs.annotate(row_rate=rate).order_by(
            F("row_rate").asc(nulls_last=True), name, "pk"
        )

    @overload
    def __getitem__(self, index: int) -> LedgerRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[LedgerRow]: ...
    def __getitem__(self, index: int | slice) -> LedgerRow | list[LedgerRow]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        values = self._sorted().values_list(*_LEDGER_VALUES, "row_annual", "row_ytd", "row_funds")[
            index
        ]
        n = len(_LEDGER_VALUES)
        db = self._qs.db
        return [
            _ledger_row(
                v, self.year, self.month, _plan(v[n]), _amount(v[n + 1]), _amount(v[n + 2]), db
            )
            for v in values
        ]

    def _aggregate(self) -> None:
        year, month = self.year, self.month
        end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        starts = Q(planned_start__year=year)
        completions = Q(planned_completion__year=year)
        got = self._qs.order_by().aggregate(
            total=Count("pk"),
            planned_starts=Count("pk", filter=starts),
            started=Count("pk", filter=starts & Q(actual_start__lte=end)),
            planned_completions=Count("pk", filter=completions),
            completed=Count("pk", filter=completions & Q(actual_completion__lte=end)),
            planned=Sum("row_annual"),
            funds=Sum("row_funds"),
        )
        self._total = got["total"]
        self._rates = _rates_of(
            planned_starts=got["planned_starts"],
            started=got["started"],
            planned_completions=got["planned_completions"],
            completed=got["completed"],
            # as `rates` sums them from Decimal(0), each zero figure being Decimal(0): a zero
            # sum of amounts that cannot be negative is Decimal(0), whatever its scale
            planned=_plan(got["planned"]),
            funds=_amount(got["funds"]),
        )

    def __len__(self) -> int:
        """The number of projects (all pages; the Paginator's count)."""
        if self._total is None:
            self._aggregate()
        assert self._total is not None
        return self._total

    def rates(self) -> Rates:
        """开工率, 竣工率 and 资金到位率 over every project of the ledger (as `rates` gives
        them for `ledger`'s rows), from the same aggregate query as the count."""
        if self._rates is None:
            self._aggregate()
        assert self._rates is not None
        return self._rates


def monthly_series(project: Project, year: int) -> dict[str, list[float | None]]:
    """Plan (monthly cumulative, when given) against actual cumulative investment by month."""
    plans = list(AnnualInvestmentPlan.objects.filter(project=project, year=year))
    segmented = any(a.segment_id for a in plans)
    plan_by_month: list[float | None] = [None] * 12
    use = [a for a in plans if (a.segment_id is not None) == segmented]
    if use and all(a.monthly for a in use):
        monthly: list[list[Any]] = [list(a.monthly or []) for a in use]
        plan_by_month = [sum(float(x[i]) for x in monthly) for i in range(12)]
    elif use:
        total = sum(float(a.amount) for a in use)
        plan_by_month = [round(total * (i + 1) / 12, 2) for i in range(12)]
    actual: list[float | None] = [None] * 12
    latest: dict[int | None, float] = {}
    reports = MonthlyReport.objects.filter(
        project=project, year=year, status=ReportStatus.ACCEPTED
    ).order_by("month")
    by_month: dict[int, list[MonthlyReport]] = {}
    for r in reports:
        by_month.setdefault(r.month, []).append(r)
    for month in range(1, 13):
        for r in by_month.get(month, []):
            latest[r.segment_id] = float(r.invested_ytd or 0)
        if month in by_month:
            actual[month - 1] = round(sum(latest.values()), 2)
    return {"plan": plan_by_month, "actual": actual}


def project_cities(project: Project) -> list[dict[str, str]]:
    """The cities (市州) a project is built in or crosses — its places and its segments'
    places, a county counted in its city — with their administrative codes, which name the
    regions of the Sichuan map geometry (ECharts' GeoJSON, features identified by adcode)."""
    ids = set(project.places.values_list("pk", flat=True))
    ids |= set(project.segments.values_list("place_id", flat=True))
    units = list(OrgUnit.objects.filter(pk__in=ids).select_related("parent"))
    cities: dict[str, str] = {}
    for u in units:
        city = u if u.kind == OrgUnitKind.PREFECTURE else u.parent
        if city is not None and city.kind == OrgUnitKind.PREFECTURE and city.adcode:
            cities[city.adcode] = city.name
    return [{"adcode": code, "name": name} for code, name in sorted(cities.items())]


def reports_for(*, user: Any, project: Project) -> list[MonthlyReport]:
    """The project's reports the viewer may see (public visitors: none)."""
    if not is_insider(user):
        return []
    qs = project.reports.select_related("segment__place", "unit").order_by(
        "-year", "-month", "segment"
    )
    if can_manage_project(user, project):
        return list(qs)
    return [r for r in qs if can_view_report(user, r)]


def yearly_plans(project: Project) -> list[tuple[int, Decimal]]:
    """(year, planned investment) for each year: the segments' sum for a segmented project."""
    plans = list(AnnualInvestmentPlan.objects.filter(project=project))
    segmented = any(a.segment_id for a in plans)
    totals: dict[int, Decimal] = {}
    for a in plans:
        if (a.segment_id is not None) == segmented:
            totals[a.year] = totals.get(a.year, Decimal(0)) + a.amount
    return sorted(totals.items())


@dataclass
class Rates:
    """开工率, 竣工率 and 资金到位率 of a set of projects at the end of (year, month), with the
    counts and amounts they come from (methods.md §4; `planwatch.projects.methods`)."""

    planned_starts: int
    started: int
    start_rate: float | None
    planned_completions: int
    completed: int
    completion_rate: float | None
    planned: Decimal
    funds_in_place: Decimal
    funds_rate: float | None


def rates(
    projects: Sequence[Dated], year: int, month: int, rows: list[LedgerRow] | None = None
) -> Rates:
    """开工率 = projects planned to start in `year` that have started by the month's end ÷
    those planned; 竣工率 likewise for completion; 资金到位率 = the funds in place of the
    latest accepted reports (segments summed) ÷ the year's planned investment. Given the
    ledger's `rows` of those projects for that month, their figures are used as they are."""
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    starts = [p for p in projects if p.planned_start and p.planned_start.year == year]
    started = sum(1 for p in starts if p.actual_start is not None and p.actual_start <= end)
    completions = [
        p for p in projects if p.planned_completion and p.planned_completion.year == year
    ]
    completed = sum(
        1 for p in completions if p.actual_completion is not None and p.actual_completion <= end
    )
    if rows is None:
        figures = list(_figures(projects, year, month).values())
        planned = sum((f.annual_plan for f in figures), Decimal(0))
        funds = sum((f.funds_in_place for f in figures), Decimal(0))
    else:
        planned = sum((r.annual_plan for r in rows), Decimal(0))
        funds = sum((r.funds_in_place for r in rows), Decimal(0))
    return _rates_of(
        planned_starts=len(starts),
        started=started,
        planned_completions=len(completions),
        completed=completed,
        planned=planned,
        funds=funds,
    )


def _rates_of(
    *,
    planned_starts: int,
    started: int,
    planned_completions: int,
    completed: int,
    planned: Decimal,
    funds: Decimal,
) -> Rates:
    return Rates(
        planned_starts=planned_starts,
        started=started,
        start_rate=m.start_rate(started=started, planned_starts=planned_starts),
        planned_completions=planned_completions,
        completed=completed,
        completion_rate=m.completion_count_rate(
            completed=completed, planned_completions=planned_completions
        ),
        planned=planned,
        funds_in_place=funds,
        funds_rate=m.funds_rate(funds_in_place=float(funds), planned=float(planned)),
    )


def _monthly_totals(
    plans: list[PlanRow], ids: Any, year: int, month: int
) -> tuple[list[float | None], list[float | None]]:
    """The projects' planned and actual cumulative investment by month of `year`, summed.
    Plan (from their `plans`, read with the ledger): the month-end cumulative amounts where
    every plan of a project gives them, else the annual amount spread evenly; a segmented
    project's plans are its segments'. Actual (one query): the latest accepted report of each
    project (or segment) up to each month, up to `month` (None after it)."""
    segmented = {pid for pid, sid, _a, _m in plans if sid is not None}
    by_project: dict[int, list[tuple[Decimal, list[Any] | None]]] = {}
    for pid, sid, amount, monthly in plans:
        if (sid is not None) == (pid in segmented):
            by_project.setdefault(pid, []).append((amount, monthly))
    plan = [0.0] * 12
    for used in by_project.values():
        if all(mon for _a, mon in used):
            for i in range(12):
                plan[i] += sum(float((mon or [])[i]) for _a, mon in used)
        else:
            total = sum(float(a) for a, _m in used)
            for i in range(12):
                plan[i] += total * (i + 1) / 12
    # Actual: summed by the database over the projects' summary rows of the year (one per
    # project, kept current by the report services) — not over their reports.
    sums = (
        ProjectYearFigures.objects.filter(project_id__in=ids, year=year)
        .order_by()
        .aggregate(**{f: Sum(f) for f in YTD[:month]})
    )
    actual: list[float | None] = [None] * 12
    for i in range(1, month + 1):
        actual[i - 1] = round(float(sums[ytd_field(i)] or 0), 2)
    return [round(x, 2) if by_project else None for x in plan], actual


@dataclass
class PanelList:
    """A published 红黑榜 shown on a panel (the latest edition): its red and black entries
    (on a zone's panel, the province's prefectures list keeps the zone's cities; the zone's
    own list follows it)."""

    quarter_list: Any
    red: list[Any]
    black: list[Any]


@dataclass
class ProjectsPanel:
    """The projects panel of a dashboard (province or zone) for one month of a year: plan
    against actual investment by month, 双过半, the lights and the latest 红黑榜."""

    place: OrgUnit | None
    year: int
    month: int
    projects: int
    annual_plan: Decimal
    ytd: Decimal
    rate: float | None
    time_progress: float
    plan_by_month: list[float | None]
    actual_by_month: list[float | None]
    lights: dict[str, int]
    double_half: m.DoubleHalf | None  # None before the end of June
    lists: list[PanelList]

    @property
    def months_rows(self) -> list[tuple[float | None, float | None]]:
        return list(zip(self.plan_by_month, self.actual_by_month, strict=True))


def projects_panel(*, user: Any, place: OrgUnit | None, year: int, month: int) -> ProjectsPanel:
    """The panel of `place` (a zone, or None for the province) at the end of (year, month),
    computed from the stored plans and accepted reports like the 台账 (same projects, same
    lights), and the latest published 红黑榜 of each series."""
    # The ledger's projects and figures, read lean (decision 0033): the columns the panel
    # uses, not a LedgerRow per project; each is assessed by `methods.assess` (the lights
    # are counted) and the rows are sorted as `ledger` sorts them, since 双过半 adds up and
    # names the projects in the ledger's order.
    qs = _ledger_projects(user, place, "", "")
    june = m.DEFAULT_METHOD.double_half_month
    values = qs.annotate(
        figures=FilteredRelation("year_figures", condition=Q(year_figures__year=year))
    ).values_list(
        "pk",
        "name",
        "planned_start",
        "actual_start",
        f"figures__{ytd_field(month)}",
        f"figures__{ytd_field(june)}",
    )
    plans = _plan_rows(_ids([], qs), year, monthly=True)
    plan = _plan_totals(plans)
    zero = Decimal(0)
    lights = {c: 0 for c in LightColour.values}
    # (完成率 is None, 完成率 or 0, name, annual plan, YTD, June's YTD, planned, actual start)
    rows: list[tuple[bool, float, str, Decimal, Decimal, Decimal, date | None, date | None]] = []
    for pk, name, planned_start, actual_start, ytd_month, ytd_june in values:
        annual_plan = plan.get(pk, zero)
        ytd_at = ytd_month or zero
        a = m.assess(
            year=year,
            month=month,
            ytd=float(ytd_at),
            annual_plan=float(annual_plan),
            started=actual_start is not None or ytd_at > 0,
            planned_start=planned_start,
        )
        lights[a.light] += 1
        rows.append(
            (
                a.rate is None,
                a.rate or 0,
                name,
                annual_plan,
                ytd_at,
                ytd_june or zero,
                planned_start,
                actual_start,
            )
        )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    annual = sum((r[3] for r in rows), Decimal(0))
    ytd = sum((r[4] for r in rows), Decimal(0))
    plan_by_month, actual_by_month = _monthly_totals(plans, _ids([], qs), year, month)
    half: m.DoubleHalf | None = None
    if month >= june:
        # the annual plan does not depend on the month; June's YTD was read with the rows
        end = date(year, june + 1, 1) - timedelta(days=1)
        half = m.double_half(
            m.DoubleHalfRow(
                r[2],
                ytd=float(r[5]),
                annual_plan=float(r[3]),
                planned_start_this_year=r[6] is not None and r[6].year == year,
                started=r[7] is not None and r[7] <= end,
            )
            for r in rows
        )
    lists: list[PanelList] = []
    wanted: list[tuple[str, OrgUnit | None]] = [(series, None) for series in ListSeries.values]
    if place is not None:
        wanted.append((ListSeries.PREFECTURES, place))
    for series, zone in wanted:
        qlist = (
            QuarterList.objects.filter(series=series, zone=zone, published_at__isnull=False)
            .select_related("zone")
            .order_by("-year", "-quarter", "-edition")
            .first()
        )
        if qlist is None:
            continue
        entries = qlist.entries.filter(
            verdict__in=(ListVerdict.RED, ListVerdict.BLACK)
        ).select_related("unit")
        if place is not None and series == ListSeries.PREFECTURES:
            entries = entries.filter(unit__path__startswith=place.path)
        chosen = list(entries)
        lists.append(
            PanelList(
                qlist,
                [e for e in chosen if e.verdict == ListVerdict.RED],
                [e for e in chosen if e.verdict == ListVerdict.BLACK],
            )
        )
    return ProjectsPanel(
        place=place,
        year=year,
        month=month,
        projects=len(rows),
        annual_plan=annual,
        ytd=ytd,
        rate=m.completion_rate(ytd=float(ytd), annual_plan=float(annual)),
        time_progress=m.time_progress(month),
        plan_by_month=plan_by_month,
        actual_by_month=actual_by_month,
        lights=lights,
        double_half=half,
        lists=lists,
    )
