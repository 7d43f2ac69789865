"""The public portal (公开, /gongkai/): no sign-in, only what planners published
(publication.selectors), in plain Chinese with the plan's own words one click away. Each view
reads through `portal.selectors`; anything not published answers 404, as for a page that does
not exist."""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.portal import selectors as s
from planwatch.publication.selectors import public_lists, public_plans


def participation(kind: str | None = None, subject_id: int | None = None) -> list[dict[str, str]]:
    """Links to rate (问卷) and to leave a message (留言), offered only when the surveys and
    feedback apps provide them (URL names `surveys:public_index`, `feedback:new`)."""
    links = []
    with contextlib.suppress(NoReverseMatch):
        links.append({"url": reverse("surveys:public_index"), "label": _("参与满意度评价")})
    # a message is always about a plan, task or project: the form needs its subject
    if kind and subject_id:
        try:
            url = reverse("feedback:new")
            url += "?" + urlencode({"kind": kind, "id": str(subject_id)})
            links.append({"url": url, "label": _("我要留言")})
            answered = reverse("feedback:public_list")
            answered += "?" + urlencode({"kind": kind, "id": str(subject_id)})
            links.append({"url": answered, "label": _("公众留言与答复")})
        except NoReverseMatch:
            pass
    return links


def _unit_summary(unit: OrgUnit) -> dict[str, Any]:
    tasks = list(s.tasks_in(unit))
    indicators = list(s.indicators_in(unit))
    projects = list(s.projects_in(unit))
    latest = s.latest_verified(indicators)
    lights = s.lights_of(tasks)
    return {
        "task_groups": s.tasks_by_status(tasks, lights),
        "task_count": len(tasks),
        "light_counts": s.light_counts(lights),
        "indicators": [(i, latest.get(i.pk)) for i in indicators],
        "projects": projects,
        "map": s.map_of(projects),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    zones = list(s.zones())
    cards = []
    for z in zones:
        cards.append(
            {
                "zone": z,
                "tasks": s.tasks_in(z).count(),
                "indicators": s.indicators_in(z).count(),
                "projects": s.projects_in(z).count(),
                "prefectures": [
                    c for c in z.children.all() if c.kind == OrgUnitKind.PREFECTURE and c.is_active
                ],
            }
        )
    return render(
        request,
        "portal/home.html",
        {
            "cards": cards,
            "latest": s.latest_publications(20),
            "plans": public_plans().order_by("sort_order", "id"),
            "participation": participation(),
        },
    )


@require_GET
def zone(request: HttpRequest, slug: str) -> HttpResponse:
    z = s.zone_by_slug(slug)
    context = {
        "unit": z,
        "zone": z,
        "plans": public_plans().filter(org_unit=z),
        "lists": public_lists().filter(plan__org_unit=z).select_related("plan").order_by("-year"),
        "prefectures": z.children.filter(kind=OrgUnitKind.PREFECTURE).order_by("sort_order"),
        "index_editions": s.index_editions(z),
        "result_editions": s.result_editions(z),
        "participation": participation(),
        **_unit_summary(z),
    }
    return render(request, "portal/unit.html", context)


@require_GET
def prefecture(request: HttpRequest, code: str) -> HttpResponse:
    unit = s.prefecture_by_code(code)
    context = {
        "unit": unit,
        "zone": s.zone_of(unit),
        "participation": participation(),
        **_unit_summary(unit),
    }
    return render(request, "portal/unit.html", context)


@require_GET
def annual_list(request: HttpRequest, list_id: int) -> HttpResponse:
    alist = s.public_list(list_id)
    tasks = list(s.tasks_of_list(alist))
    return render(
        request,
        "portal/list.html",
        {"alist": alist, "task_groups": s.tasks_by_status(tasks), "task_count": len(tasks)},
    )


@require_GET
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    t = s.public_task(task_id)
    return render(
        request,
        "portal/task.html",
        {
            "task": t,
            "light": s.lights_of([t]).get(t.pk),
            "zone": t.plan.org_unit,
            "participation": participation("task", t.pk),
        },
    )


@require_GET
def indicator(request: HttpRequest, indicator_id: int) -> HttpResponse:
    ind = s.public_indicator(indicator_id)
    return render(
        request,
        "portal/indicator.html",
        {"ind": ind, "zone": ind.plan.org_unit, **s.indicator_story(ind)},
    )


@require_GET
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    p = s.public_project(project_id)
    return render(
        request,
        "portal/project.html",
        {
            "project": p,
            "zone": p.zone or (p.plan.org_unit if p.plan is not None else None),
            "figures": s.yearly_figures(p),
            "places": p.places.order_by("path"),
            "segments": p.segments.select_related("place", "unit").order_by("place__path"),
            "map": s.map_of([p]),
            "participation": participation("project", p.pk),
        },
    )


@require_GET
def index_edition(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = s.public_index_edition(edition_id)
    return render(
        request,
        "portal/index_edition.html",
        {"edition": edition, "zone": edition.method.plan.org_unit, **s.index_table(edition)},
    )


@require_GET
def result_edition(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = s.public_result_edition(edition_id)
    scores = edition.scores.select_related("unit").order_by("rank", "unit__sort_order")
    return render(request, "portal/result_edition.html", {"edition": edition, "scores": scores})
