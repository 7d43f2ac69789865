"""Pages of the 区域一体化发展指数: the list of methods and editions, a method's tree for its
planners (attach indicators, compute an edition), and an edition with its charts, method
note, missing inputs, the differences from the edition it corrects and the sensitivity view.
Signed-in users read published editions; methods and draft editions are for the plan's planners.
The public reads editions published to it (publication) on the portal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from planwatch.assessment import index_methods as im
from planwatch.assessment import services
from planwatch.assessment.models import (
    EDITION_BULK,
    EditionStatus,
    IndexDirection,
    IndexEdition,
    IndexMethod,
    IndexNode,
    IndexValue,
    NodeLevel,
    Normalisation,
    Weighting,
)
from planwatch.core.web import refusal_message
from planwatch.indicators.choices import IndicatorStatus
from planwatch.indicators.models import Indicator
from planwatch.plans.models import Plan
from planwatch.tasks.permissions import can_manage_plan

REASONS = {
    im.NO_VALUE: gettext_lazy("无数据"),
    im.NO_BASE: gettext_lazy("无基期数据"),
    im.ZERO_VALUE: gettext_lazy("数值为零，无法计算"),
}


def _managed_method(request: HttpRequest, method_id: int) -> IndexMethod:
    method = get_object_or_404(IndexMethod.objects.select_related("plan"), pk=method_id)
    if not can_manage_plan(request.user, method.plan):
        raise Http404
    return method


def _visible_edition(request: HttpRequest, edition_id: int) -> IndexEdition:
    edition = get_object_or_404(
        IndexEdition.objects.select_related("method__plan", "corrects"), pk=edition_id
    )
    if not edition.is_published and not can_manage_plan(request.user, edition.method.plan):
        raise Http404
    return edition


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    managed = [
        p for p in Plan.objects.filter(org_unit__isnull=False) if can_manage_plan(request.user, p)
    ]
    managed_ids = {p.pk for p in managed}
    methods = list(IndexMethod.objects.select_related("plan").order_by("plan__sort_order", "id"))
    # The list names each edition; its inputs and method snapshot stay in the database.
    editions = (
        IndexEdition.objects.select_related("method__plan")
        .defer(*EDITION_BULK, "method_snapshot")
        .order_by("-computed_at")
    )
    rows = [
        e
        for e in editions
        if e.status == EditionStatus.PUBLISHED or e.method.plan_id in managed_ids
    ]
    with_default = {m.plan_id for m in methods if m.version == "2021-default"}
    return render(
        request,
        "assessment/index_list.html",
        {
            "editions": rows,
            "methods": [m for m in methods if m.plan_id in managed_ids],
            "plans_without_default": [p for p in managed if p.pk not in with_default],
        },
    )


@login_required
@require_POST
def method_create_default(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=slug)
    if not can_manage_plan(request.user, plan):
        raise Http404
    try:
        method = services.index_method_create_default(plan=plan, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
        return redirect("assessment:index")
    messages.success(request, _("已按规划章节建立默认指标体系。"))
    return redirect("assessment:method", method.pk)


@login_required
@require_GET
def method_detail(request: HttpRequest, method_id: int) -> HttpResponse:
    method = _managed_method(request, method_id)
    tree = services.method_tree(method)
    used = set(method.nodes.exclude(indicator=None).values_list("indicator_id", flat=True))
    indicators = Indicator.objects.filter(
        plan=method.plan, status=IndicatorStatus.CONFIRMED
    ).exclude(pk__in=used)
    subs = method.nodes.filter(level=NodeLevel.SUBDIMENSION).order_by("position")
    return render(
        request,
        "assessment/method.html",
        {
            "method": method,
            "tree": tree,
            "indicators": indicators,
            "subs": subs,
            "directions": IndexDirection.choices,
            "normalisations": Normalisation.choices,
            "weightings": Weighting.choices,
            "all_nodes": method.nodes.order_by("position", "id"),
            "locked": method.editions.exists(),
            "editions": method.editions.order_by("-number"),
            "published": method.editions.filter(status=EditionStatus.PUBLISHED).order_by("-number"),
        },
    )


def _float_or_none(raw: str | None) -> float | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValidationError(_("请输入数字。")) from None


def _int(raw: str | None, what: str, below: int = 2**63) -> int:
    """A positive integer below `below`: by default a record's id (BigAutoField), any
    positive 64-bit integer; a year is asked for with below=10000."""
    try:
        value = int((raw or "").strip())
    except ValueError:
        raise ValidationError(_("%(what)s须为整数。") % {"what": what}) from None
    if not 0 < value < below:
        raise ValidationError(_("%(what)s无效。") % {"what": what})
    return value


@login_required
@require_POST
def method_attach(request: HttpRequest, method_id: int) -> HttpResponse:
    method = _managed_method(request, method_id)
    try:
        parent = IndexNode.objects.get(
            method=method, pk=_int(request.POST.get("parent"), _("分项"))
        )
        indicator = Indicator.objects.get(pk=_int(request.POST.get("indicator"), _("指标")))
        services.index_indicator_attach(
            method=method,
            parent=parent,
            indicator=indicator,
            actor=request.user,
            direction=request.POST.get("direction") or None,
            weight=_float_or_none(request.POST.get("weight")),
        )
    except (IndexNode.DoesNotExist, Indicator.DoesNotExist):
        messages.error(request, _("所选分项或指标不存在。"))
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("已加入指标。"))
    return redirect("assessment:method", method.pk)


@login_required
@require_POST
def method_compute(request: HttpRequest, method_id: int) -> HttpResponse:
    method = _managed_method(request, method_id)
    try:
        year_to = _int(request.POST.get("year_to"), _("截止年份"), below=10000)
        corrects = None
        if request.POST.get("corrects"):
            corrects = IndexEdition.objects.filter(
                method=method, pk=_int(request.POST.get("corrects"), _("更正版次"))
            ).first()
            if corrects is None:
                raise ValidationError(_("所选版次不存在。"))
        edition = services.index_edition_compute(
            method=method,
            actor=request.user,
            year_to=year_to,
            corrects=corrects,
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
        return redirect("assessment:method", method.pk)
    messages.success(request, _("已计算指数草稿版次。"))
    return redirect("assessment:edition", edition.pk)


@login_required
@require_POST
def edition_publish(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _visible_edition(request, edition_id)
    if not can_manage_plan(request.user, edition.method.plan):
        raise Http404
    try:
        services.index_edition_publish(edition=edition, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("指数版次已发布。"))
    return redirect("assessment:edition", edition.pk)


def _values(
    edition: IndexEdition, latest: int | None = None, codes: list[str] | None = None
) -> dict[tuple[int, int], dict[str, float | None]]:
    """(place id, year) → code → value of the edition: the index of every year and, in
    `latest`, the `codes` too (the page shows no other node's values; the rest stay in the
    database)."""
    out: dict[tuple[int, int], dict[str, float | None]] = defaultdict(dict)
    wanted = Q(code=im.TOTAL)
    if latest is not None and codes:
        wanted |= Q(year=latest, code__in=codes)
    for place_id, year, code, value in (
        IndexValue.objects.filter(wanted, edition=edition)
        .order_by()
        .values_list("place_id", "year", "code", "value")
    ):
        out[(place_id, year)][code] = value
    return out


def _r(v: float | None, digits: int = 2) -> float | None:
    return None if v is None else round(v, digits)


METHOD_VARIANTS = services.SENSITIVITY_VARIANTS


def _sensitivity(edition: IndexEdition, year: int, cities: list[dict[str, Any]]) -> dict[str, Any]:
    """The cities' ranks in ``year`` (the edition's last) under each normalisation ×
    weighting, beside the edition's own: the cities' values stored with the edition
    (`services.sensitivity_compute`, computed here for an edition that has none), the cities
    ranked among themselves."""
    snap = edition.method_snapshot
    own = (snap["normalisation"], snap["weighting"])
    stored = edition.sensitivity
    if stored is None:
        stored = services.sensitivity_compute(
            snap, edition.places, edition.inputs, edition.year_from, edition.year_to
        )
    columns: list[dict[str, Any]] = []
    ranks: dict[tuple[str, str], dict[str, int]] = {}
    values: dict[tuple[str, str], dict[str, float | None]] = {}
    for norm, weigh in METHOD_VARIANTS:
        by_city = stored.get(services.sensitivity_key(str(norm), str(weigh)))
        if by_city is None:
            continue
        key = (str(norm), str(weigh))
        values[key] = {str(c["id"]): by_city.get(str(c["id"])) for c in cities}
        present = {k: v for k, v in values[key].items() if v is not None}
        ranks[key] = {k: 1 + sum(1 for w in present.values() if w > v) for k, v in present.items()}
        columns.append(
            {
                "key": key,
                "label": f"{Normalisation(norm).label} · {Weighting(weigh).label}",
                "own": key == own,
            }
        )
    base = ranks.get(own, {})
    rows = []
    for c in cities:
        cid = str(c["id"])
        cells = []
        for col in columns:
            r = ranks[col["key"]].get(cid)
            b = base.get(cid)
            cells.append(
                {
                    "value": _r(values[col["key"]].get(cid)),
                    "rank": r,
                    "change": None if r is None or b is None else b - r,
                }
            )
        rows.append({"name": c["name"], "cells": cells})
    return {"columns": columns, "rows": rows, "year": year}


@login_required
@require_GET
def edition_detail(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = _visible_edition(request, edition_id)
    snap = edition.method_snapshot
    places = edition.places
    names = {p["id"]: p["name"] for p in places}
    years = list(range(edition.year_from, edition.year_to + 1))
    dims = [d for d in snap["dimensions"] if any(s["children"] for s in d["children"])]
    empty_dims = [d for d in snap["dimensions"] if d not in dims]
    latest = years[-1]
    values = _values(edition, latest, [d["code"] for d in dims])
    cities = [p for p in places if p.get("kind") != "zone"]

    table = [
        {"name": p["name"], "values": [_r(values[(p["id"], y)].get(im.TOTAL)) for y in years]}
        for p in places
    ]
    dim_table = [
        {
            "name": p["name"],
            "values": [_r(values[(p["id"], latest)].get(d["code"])) for d in dims],
            "total": _r(values[(p["id"], latest)].get(im.TOTAL)),
        }
        for p in places
    ]
    missing = list(
        edition.missing.select_related("indicator", "place").order_by(
            "place__path", "indicator_id", "year"
        )
    )
    missing_by_place: dict[str, list[Any]] = defaultdict(list)
    for m in missing:
        missing_by_place[m.place.name].append(
            {
                "indicator": m.indicator.name,
                "year": m.year,
                "reason": REASONS.get(m.reason, m.reason),
            }
        )

    diff = []
    if edition.corrects is not None:
        old = _values(edition.corrects)
        for p in places:
            for y in years:
                a = old.get((p["id"], y), {}).get(im.TOTAL)
                b = values[(p["id"], y)].get(im.TOTAL)
                if _r(a, 4) != _r(b, 4):
                    diff.append(
                        {
                            "name": p["name"],
                            "year": y,
                            "old": _r(a),
                            "new": _r(b),
                            "change": None if a is None or b is None else round(b - a, 2),
                        }
                    )

    sources: dict[str, int] = defaultdict(int)
    for row in edition.inputs:
        sources[row["source"] or "—"] += 1

    chart = {
        "years": [str(y) for y in years],
        "series": [{"name": r["name"], "data": r["values"]} for r in table],
        "dimensions": [d["name"] for d in dims],
        "radar": [{"name": r["name"], "value": r["values"]} for r in dim_table],
        "cities": [r["name"] for r in dim_table if r["name"] in {c["name"] for c in cities}],
        "city_totals": [r["total"] for r in dim_table if r["name"] in {c["name"] for c in cities}],
        "convergence": {
            "years": [str(c["year"]) for c in edition.convergence],
            "cv": [round(c["cv"], 4) for c in edition.convergence],
            "theil": [round(c["theil"], 4) for c in edition.convergence],
        },
        "latest": str(latest),
        "labels": {"cv": _("变异系数"), "theil": _("泰尔指数"), "index": _("指数")},
    }
    sensitivity = _sensitivity(edition, latest, cities) if len(cities) >= 2 else None
    # the method's table, one row per node with its weight looked up here (not by the
    # template scanning every weight for every node)
    weights = edition.weights
    tree_rows: list[dict[str, Any]] = []
    for d in dims:
        tree_rows.append({**d, "level": 0, "weight": weights.get(d["code"])})
        for s in d["children"]:
            if not s["children"]:
                continue
            tree_rows.append({**s, "level": 1, "weight": weights.get(s["code"])})
            tree_rows += [
                {**i, "level": 2, "weight": weights.get(i["code"])} for i in s["children"]
            ]
    return render(
        request,
        "assessment/edition.html",
        {
            "edition": edition,
            "snap": snap,
            "years": years,
            "table": table,
            "dims": dims,
            "empty_dims": empty_dims,
            "dim_table": dim_table,
            "latest": latest,
            "missing_by_place": dict(missing_by_place),
            "diff": diff,
            "weights": weights,
            "tree_rows": tree_rows,
            "sources": sorted(sources.items()),
            "convergence": edition.convergence,
            "chart": chart,
            "sensitivity": sensitivity,
            "can_manage": can_manage_plan(request.user, edition.method.plan),
            "names": names,
            "normalisation": Normalisation(snap["normalisation"]).label,
            "weighting": Weighting(snap["weighting"]).label,
        },
    )


@login_required
@require_POST
def method_copy(request: HttpRequest, method_id: int) -> HttpResponse:
    method = _managed_method(request, method_id)
    try:
        base = request.POST.get("base_year", "").strip()
        copy = services.index_method_copy(
            method=method,
            actor=request.user,
            version=request.POST.get("version", ""),
            normalisation=request.POST.get("normalisation") or None,
            weighting=request.POST.get("weighting") or None,
            base_year=_int(base, _("基期年份"), below=10000) if base else None,
        )
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
        return redirect("assessment:method", method.pk)
    messages.success(request, _("已新建方法版本。"))
    return redirect("assessment:method", copy.pk)


@login_required
@require_POST
def method_weight(request: HttpRequest, method_id: int) -> HttpResponse:
    method = _managed_method(request, method_id)
    try:
        node = IndexNode.objects.get(method=method, pk=_int(request.POST.get("node"), _("节点")))
        services.index_node_set_weight(
            node=node, actor=request.user, weight=_float_or_none(request.POST.get("weight"))
        )
    except IndexNode.DoesNotExist:
        messages.error(request, _("所选节点不存在。"))
    except (ValidationError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("已设置权重。"))
    return redirect("assessment:method", method.pk)
