"""Places (divisions named by the plans), organisation units, and the caller's own account
and tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params.functions import Query

from planwatch.accounts.models import Membership
from planwatch.api.auth import caller, public, signed_in
from planwatch.api.models import ApiToken
from planwatch.api.plans import ERRORS, ERRORS_404, LIMIT, OFFSET, PUBLIC, plan_ref
from planwatch.api.schemas import (
    ErrorOut,
    MemberOut,
    MemberPage,
    MentionOut,
    MeOut,
    OrgUnitPage,
    PlaceDetailOut,
    PlacePage,
    TokenList,
    TokenOut,
    UnitRef,
)
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import NodePlace
from planwatch.search.selectors import hit_title, plans_visible_to

router = Router(tags=["places and organisation units"])
SIGNED_IN = {"x-access": "signed-in"}
PLACE_KINDS = [OrgUnitKind.PROVINCE, OrgUnitKind.ZONE, OrgUnitKind.PREFECTURE, OrgUnitKind.COUNTY]


def _current_links(viewer: Any) -> Any:
    current = plans_visible_to(viewer).exclude(current_version=None).values("current_version_id")
    return NodePlace.objects.filter(node__version_id__in=current)


def _unit_out(u: OrgUnit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name,
        "adcode": u.adcode,
        "parent_code": u.parent.code if u.parent else None,
    }


def access_place(viewer: Any, key: str) -> OrgUnit:
    """A division or zone by adcode or code, or Http404."""
    unit = (
        OrgUnit.objects.filter(Q(adcode=key) | Q(code=key), kind__in=PLACE_KINDS, is_active=True)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise Http404
    return unit


@router.get(
    "/places",
    response={200: PlacePage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Places",
    description=(
        "Access: public. The province, zones, prefectures and counties, each with the number "
        "of nodes of the current plans that name it. `level` picks one kind."
    ),
)
def place_list(
    request: HttpRequest,
    level: OrgUnitKind | None = None,
    limit: int = Query(500, ge=1, le=500),
    offset: int = OFFSET,
) -> PlacePage:
    qs = OrgUnit.objects.filter(kind__in=PLACE_KINDS, is_active=True).select_related("parent")
    if level is not None:
        qs = qs.filter(kind=level)
    qs = qs.order_by("sort_order", "path")
    count = qs.count()
    units = list(qs[offset : offset + limit])
    counts = dict(
        _current_links(caller(request))
        .filter(org_unit__in=[u.pk for u in units])
        .values_list("org_unit")
        .annotate(n=Count("id"))
        .values_list("org_unit", "n")
    )
    items = [{**_unit_out(u), "level": u.kind, "mentions": counts.get(u.pk, 0)} for u in units]
    return PlacePage.model_validate(
        {"count": count, "limit": limit, "offset": offset, "items": items}
    )


@router.get(
    "/places/{adcode}",
    response={200: PlaceDetailOut, **ERRORS_404},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Where the plans name a place",
    description=(
        "Access: public. A place by adcode (or by code, for zones) and, one page at a time, "
        "every node of the current plans naming it or a unit below it."
    ),
)
def place_detail(
    request: HttpRequest, adcode: str, limit: int = LIMIT, offset: int = OFFSET
) -> PlaceDetailOut:
    unit = access_place(caller(request), adcode)
    links = (
        _current_links(caller(request))
        .filter(org_unit__path__startswith=unit.path)
        .select_related("node__version__plan", "org_unit")
        .order_by("node__version__plan__sort_order", "node__version__plan_id", "node__seq", "id")
    )
    count = links.count()
    mentions = [
        MentionOut(
            node_id=link.node_id,
            plan=plan_ref(link.node.version.plan),
            kind=link.node.kind,
            title=hit_title(link.node),
            page=link.node.page,
            named=UnitRef(code=link.org_unit.code, name=link.org_unit.name),
            count=link.count,
        )
        for link in links[offset : offset + limit]
    ]
    direct = _current_links(caller(request)).filter(org_unit=unit).count()
    return PlaceDetailOut.model_validate(
        {
            **_unit_out(unit),
            "level": unit.kind,
            "mentions": direct,
            "mention_count": count,
            "limit": limit,
            "offset": offset,
            "items": mentions,
        }
    )


@router.get(
    "/orgunits",
    response={200: OrgUnitPage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Organisation units",
    description=(
        "Access: public (reference data: names and codes of government bodies). The tree of "
        "the province, zones, prefectures, counties and provincial departments."
    ),
)
def orgunit_list(
    request: HttpRequest,
    kind: OrgUnitKind | None = None,
    limit: int = Query(500, ge=1, le=500),
    offset: int = OFFSET,
) -> OrgUnitPage:
    qs = OrgUnit.objects.filter(is_active=True).select_related("parent").order_by("path")
    if kind is not None:
        qs = qs.filter(kind=kind)
    count = qs.count()
    items = [{**_unit_out(u), "kind": u.kind} for u in qs[offset : offset + limit]]
    return OrgUnitPage.model_validate(
        {"count": count, "limit": limit, "offset": offset, "items": items}
    )


def may_see_members(user: Any, unit: OrgUnit) -> bool:
    """Superusers see every unit's members; anyone else those of the units their own roles
    cover (the unit a role is held on and every unit below it): a provincial planner all of
    Sichuan, a zone planner the zone, a 宜宾 reporter 宜宾 and its counties."""
    if getattr(user, "is_superuser", False):
        return True
    paths = Membership.objects.filter(user=user).values_list("org_unit__path", flat=True)
    return any(unit.path.startswith(p) for p in paths)


def _member_out(m: Membership) -> MemberOut:
    user = m.user
    full_name = user.get_full_name() if isinstance(user, AbstractUser) else ""
    return MemberOut(
        username=user.get_username(),
        full_name=full_name,
        role=m.role,
        org_unit=UnitRef(code=m.org_unit.code, name=m.org_unit.name),
    )


@router.get(
    "/orgunits/{code}/members",
    response={200: MemberPage, **ERRORS_404},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="Who holds roles on a unit",
    description=(
        "Access: signed in; for units the caller's own roles cover (the unit a role is held "
        "on and every unit below it; superusers: all). Otherwise 404, as for a unit that "
        "does not exist."
    ),
)
def orgunit_members(
    request: HttpRequest, code: str, limit: int = LIMIT, offset: int = OFFSET
) -> MemberPage:
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if unit is None or not may_see_members(caller(request), unit):
        raise Http404
    qs = (
        Membership.objects.filter(org_unit=unit, user__is_active=True)
        .select_related("user", "org_unit")
        .order_by("role", "user__username")
    )
    count = qs.count()
    items = [_member_out(m) for m in qs[offset : offset + limit]]
    return MemberPage.model_validate(
        {"count": count, "limit": limit, "offset": offset, "items": items}
    )


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="The caller",
    description="Access: signed in. The caller's account and roles.",
)
def me(request: HttpRequest) -> MeOut:
    user = caller(request)
    memberships = Membership.objects.filter(user=user).select_related("user", "org_unit")
    return MeOut.model_validate(
        {
            "username": user.get_username(),
            "full_name": user.get_full_name() if isinstance(user, AbstractUser) else "",
            "is_superuser": bool(user.is_superuser),
            "memberships": [_member_out(m) for m in memberships.order_by("org_unit__path", "role")],
        }
    )


@router.get(
    "/tokens",
    response={200: TokenList, 401: ErrorOut},
    auth=signed_in,
    openapi_extra=SIGNED_IN,
    summary="The caller's API tokens",
    description="Access: signed in. The caller's own tokens; never the secrets.",
)
def token_list(request: HttpRequest) -> TokenList:
    tokens = ApiToken.objects.filter(user=caller(request)).order_by("created_at", "id")
    return TokenList.model_validate(
        {"items": [TokenOut.model_validate(t, from_attributes=True) for t in tokens]}
    )
