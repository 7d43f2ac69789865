"""Dashboard pages: one URL per scope serves the full page, and its reporting-health
table as an htmx partial (`?part=health`, loaded after the page: it is the slowest part);
the province and zone dashboards also load their major-projects panel as a partial
(`?part=projects&year=…`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from planwatch.dashboards import permissions as perms
from planwatch.dashboards.selectors import (
    PANEL_KINDS,
    Dashboard,
    Scope,
    dashboard_for,
    directory_for,
    health_for,
    map_payload,
    projects_chart,
    projects_panel_for,
)


def _year(request: HttpRequest) -> int | None:
    """The chosen year (`?year=2025`); None (the default year) when absent or not a year."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2200 else None


def _link_units(request: HttpRequest, board: Dashboard) -> None:
    """Give each map region the URL of its dashboard where the viewer may open it."""
    paths = perms.viewable_unit_paths(request.user)
    query = f"?year={board.year}" if board.year else ""
    for v in board.prefectures:
        if v.path and perms.may_open_unit(paths, v.path) and v.code != board.scope_code:
            v.url = reverse("dashboards:unit", args=[v.code]) + query


def _render(request: HttpRequest, scope: Scope) -> HttpResponse:
    if request.GET.get("part") == "projects":
        today = timezone.localdate()
        year = _year(request) or today.year
        panel = projects_panel_for(user=request.user, scope=scope, year=year, today=today)
        if panel is None:
            raise Http404
        context = {"projects": panel, "chart": projects_chart(panel)}
        return render(request, "dashboards/partials/_projects.html", context)
    if request.GET.get("part") == "health":
        rows = health_for(user=request.user, scope=scope, today=timezone.localdate())
        return render(request, "dashboards/partials/_health.html", {"rows": rows})
    board = dashboard_for(
        user=request.user,
        scope=scope,
        year=_year(request),
        period=request.GET.get("period") or None,
        today=timezone.localdate(),
    )
    _link_units(request, board)
    context = {
        "board": board,
        "charts": map_payload(board),
        "projects_panel": scope.kind in PANEL_KINDS,
    }
    return render(request, "dashboards/dashboard.html", context)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    directory = directory_for(user=request.user)
    if directory.empty:
        raise Http404
    return render(request, "dashboards/index.html", {"directory": directory})


@login_required
@require_GET
def province(request: HttpRequest) -> HttpResponse:
    return _render(request, perms.access_province(request.user))


@login_required
@require_GET
def zone(request: HttpRequest, slug: str) -> HttpResponse:
    return _render(request, perms.access_zone(request.user, slug))


@login_required
@require_GET
def unit(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, perms.access_unit(request.user, code))


@login_required
@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    return _render(request, perms.access_plan(request.user, slug))
