"""The projects' per-year summary (`ProjectYearFigures`, decision 0033): each project's YTD
investment and funds in place at the end of every month of a year, from its latest accepted
reports (a segmented project's segments summed), so that the 台账 and the projects panel read
one row per project whatever the number of monthly reports.

Kept current in the writer's transaction: a report's figures count once it is accepted and
an accepted report is never changed again, so the one writer is the review service moving a
report to (or, were that ever allowed, from) 已采纳 (`monthly_report_transition`), which
recomputes that project's year from its reports. The import writes drafts only. Bulk writers
past the services (the benchmark, test fixtures) call `project_figures_rebuild`;
`planwatch rollup check` recomputes every row from the reports (`project_figures_check`)
and names each difference, `planwatch rollup rebuild` rewrites them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from planwatch.projects.models import MonthlyReport, Project, ProjectYearFigures
from planwatch.reports.choices import ReportStatus

MONTHS = range(1, 13)
YTD = tuple(f"ytd_{m:02d}" for m in MONTHS)
FUNDS = tuple(f"funds_{m:02d}" for m in MONTHS)
# (project id, year) → (YTD by month, funds in place by month), January first
Series = tuple[tuple[Decimal, ...], tuple[Decimal, ...]]
# what `compute` reads of each accepted report
REPORT_COLUMNS = ("project_id", "segment_id", "year", "month", "invested_ytd", "funds_in_place")


def ytd_field(month: int) -> str:
    return YTD[month - 1]


def funds_field(month: int) -> str:
    return FUNDS[month - 1]


def compute(reports: Iterable[tuple[Any, ...]]) -> dict[tuple[int, int], Series]:
    """The figures of every (project, year) that has accepted reports, from those reports'
    REPORT_COLUMNS (any order): at each month's end, each of the project's own and its
    segments' latest report up to that month counts (a missing figure as 0), summed — the
    rule of `selectors._latest_accepted` and `selectors._monthly_totals`."""
    by: dict[tuple[int, int], dict[int | None, dict[int, tuple[Decimal, Decimal]]]] = {}
    zero = Decimal(0)
    for pid, sid, year, month, ytd, funds in reports:
        by.setdefault((pid, year), {}).setdefault(sid, {})[month] = (ytd or zero, funds or zero)
    out: dict[tuple[int, int], Series] = {}
    for key, series in by.items():
        ytd_by = [zero] * 12
        funds_by = [zero] * 12
        for months in series.values():
            current = (zero, zero)
            for i, month in enumerate(MONTHS):
                current = months.get(month, current)
                ytd_by[i] += current[0]
                funds_by[i] += current[1]
        out[key] = (tuple(ytd_by), tuple(funds_by))
    return out


def _accepted() -> Any:
    return MonthlyReport.objects.filter(status=ReportStatus.ACCEPTED).order_by()


def _values(series: Series) -> dict[str, Decimal]:
    ytd, funds = series
    return dict(zip(YTD, ytd, strict=True)) | dict(zip(FUNDS, funds, strict=True))


def project_figures_refresh(*, project_id: int, year: int) -> None:
    """Recompute the project's row for `year` from its accepted reports, inside the caller's
    transaction. The project's row is locked first: two reports of one project accepted at
    once recompute one after the other, and the later one (READ COMMITTED) reads the earlier
    one's report, so neither stores figures missing the other."""
    with transaction.atomic():
        list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk"))
        fresh = compute(
            _accepted().filter(project_id=project_id, year=year).values_list(*REPORT_COLUMNS)
        ).get((project_id, year))
        if fresh is None:
            ProjectYearFigures.objects.filter(project_id=project_id, year=year).delete()
            return
        ProjectYearFigures.objects.update_or_create(
            project_id=project_id, year=year, defaults=_values(fresh)
        )


def project_figures_rebuild() -> int:
    """Rewrite every row from the accepted reports (after bulk writes past the services);
    the number of rows written."""
    fresh = compute(_accepted().values_list(*REPORT_COLUMNS).iterator(chunk_size=20000))
    with transaction.atomic():
        ProjectYearFigures.objects.all().delete()
        ProjectYearFigures.objects.bulk_create(
            (
                ProjectYearFigures(project_id=pid, year=year, **_values(series))
                for (pid, year), series in fresh.items()
            ),
            batch_size=2000,
        )
    return len(fresh)


def _stored() -> dict[tuple[int, int], Series]:
    return {
        (row[0], row[1]): (tuple(row[2:14]), tuple(row[14:26]))
        for row in ProjectYearFigures.objects.order_by().values_list(
            "project_id", "year", *YTD, *FUNDS
        )
    }


def project_figures_check() -> tuple[int, list[str]]:
    """Recompute every row from the accepted reports and compare with the stored ones:
    (project-years checked, differences, each naming the project, year, month, figure, and
    the stored and recomputed values)."""
    fresh = compute(_accepted().values_list(*REPORT_COLUMNS).iterator(chunk_size=20000))
    stored = _stored()
    zero = (tuple([Decimal(0)] * 12), tuple([Decimal(0)] * 12))
    problems: list[str] = []
    for key in sorted(fresh.keys() | stored.keys()):
        pid, year = key
        if key not in stored:
            problems.append(f"project_year_figures: project {pid} {year}: missing row")
        elif key not in fresh:
            problems.append(
                f"project_year_figures: project {pid} {year}: row without accepted reports"
            )
        have, want = stored.get(key, zero), fresh.get(key, zero)
        for label, got, expected in (("ytd", have[0], want[0]), ("funds", have[1], want[1])):
            for month, (a, b) in enumerate(zip(got, expected, strict=True), 1):
                if a != b:
                    problems.append(
                        f"project_year_figures: project {pid} {year}-{month:02d} {label}: "
                        f"stored {a}, recomputed {b}"
                    )
    return len(fresh.keys() | stored.keys()), problems


def summaries_check_receiver(**_kw: Any) -> tuple[str, int, list[str]]:
    """hooks.summaries_check: this app's summary, checked."""
    checked, problems = project_figures_check()
    return "project-years", checked, problems


def summaries_rebuild_receiver(**_kw: Any) -> tuple[str, int]:
    """hooks.summaries_rebuild: this app's summary, rewritten."""
    return "project-years", project_figures_rebuild()
