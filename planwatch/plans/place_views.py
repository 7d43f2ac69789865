"""Pages of places: the tree of zones, prefectures and counties; a page per prefecture and
county listing every mention across the plans; a page per zone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.plans import places as selectors


def place_list(request: HttpRequest) -> HttpResponse:
    zones, departments = selectors.orgunit_tree_for(viewer=request.user)
    return render(request, "orgunits/place_list.html", {"zones": zones, "departments": departments})


def place_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.access_orgunit(request.user, code)
    if unit.kind == OrgUnitKind.ZONE:
        return zone_detail(request, code.removeprefix("zone:"))
    context = {
        "unit": unit,
        "zone": selectors.zone_for(viewer=request.user, unit=unit),
        "groups": selectors.place_mentions_for(viewer=request.user, unit=unit),
        "children": selectors.unit_children_for(viewer=request.user, unit=unit),
    }
    return render(request, "orgunits/place_detail.html", context)


def zone_detail(request: HttpRequest, slug: str) -> HttpResponse:
    zone = selectors.access_orgunit(request.user, f"zone:{slug}")
    if zone.kind != OrgUnitKind.ZONE:
        raise Http404
    context = {
        "zone": zone,
        "plans": selectors.zone_plans_for(viewer=request.user, zone=zone),
        "prefectures": selectors.unit_children_for(viewer=request.user, unit=zone),
        "groups": selectors.place_mentions_for(viewer=request.user, unit=zone),
    }
    return render(request, "orgunits/zone_detail.html", context)
