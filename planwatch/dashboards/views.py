"""Dashboard pages: one URL per scope serves the full page, and its reporting-health
table as an htmx partial (`?part=health`, loaded after the page: it is the slowest part)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from planwatch.dashboards import permissions as perms
from planwatch.dashboards.selectors import (
    Scope,
    dashboard_for,
    directory_for,
    health_for,
    map_payload,
)


def _render(request: HttpRequest, scope: Scope) -> HttpResponse:
    if request.GET.get("part") == "health":
        rows = health_for(user=request.user, scope=scope, today=timezone.localdate())
        return render(request, "dashboards/partials/_health.html", {"rows": rows})
    board = dashboard_for(user=request.user, scope=scope)
    context = {"board": board, "charts": map_payload(board)}
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
