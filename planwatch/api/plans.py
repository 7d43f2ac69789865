"""Plans, their nodes and their targets: public (plans are public documents)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params.functions import Query

from planwatch.api.auth import caller, public
from planwatch.api.schemas import (
    ErrorOut,
    NodeBrief,
    NodeDetailOut,
    NodePage,
    PlaceCount,
    PlanDetailOut,
    PlanPage,
    PlanRef,
    QuantityOut,
    QuantityPage,
    UnitRef,
    VersionOut,
)
from planwatch.plans.choices import NodeKind, QuantityRole
from planwatch.plans.models import Node, Plan, PlanVersion, Quantity
from planwatch.search.segment import project_names
from planwatch.search.selectors import plans_visible_to

router = Router(tags=["plans"])
PUBLIC = {"x-access": "public"}
ERRORS: dict[int, Any] = {401: ErrorOut, 422: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")


# What the plan endpoints never show of the current version: its stored diff and its source
# document's bytes (a megabyte or more per plan; issue 15, item 7).
UNSHOWN = ("current_version__diff", "current_version__document__content")


def plans_with_versions(viewer: Any) -> QuerySet[Plan]:
    """The plans `viewer` may read, with zone, current version and document in one query."""
    return (
        plans_visible_to(viewer)
        .select_related("org_unit", "current_version__document")
        .defer(*UNSHOWN)
    )


def access_plan(viewer: Any, plan_id: int) -> Plan:
    """A plan the viewer may read, or Http404 (missing and not allowed look alike)."""
    plan = plans_with_versions(viewer).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def plan_version(plan: Plan) -> PlanVersion:
    version = plan.current_version
    if version is None:
        raise Http404
    return version


def version_out(v: PlanVersion | None) -> VersionOut | None:
    if v is None:
        return None
    return VersionOut(
        id=v.pk,
        number=v.number,
        title=v.title,
        document_sha256=v.document.sha256,
        document_name=v.document.name,
        created_at=v.created_at,
    )


def plan_out(plan: Plan) -> dict[str, Any]:
    zone = plan.org_unit
    return {
        "id": plan.pk,
        "slug": plan.slug,
        "title": plan.title,
        "zone": UnitRef(code=zone.code, name=zone.name) if zone else None,
        "current_version": version_out(plan.current_version),
    }


def plan_ref(plan: Plan) -> PlanRef:
    return PlanRef(id=plan.pk, slug=plan.slug, title=plan.title)


def node_out(n: Node) -> dict[str, Any]:
    return {
        "id": n.pk,
        "parent_id": n.parent_id,
        "seq": n.seq,
        "key": n.key,
        "kind": n.kind,
        "number": n.number,
        "label": n.label,
        "title": n.title,
        "text": n.text,
        "level": n.level,
        "line": n.line,
        "end_line": n.end_line,
        "page": n.page,
        "projects": project_names(n.projects),
    }


def _page(qs: QuerySet[Any], limit: int, offset: int) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[offset : offset + limit])


@router.get(
    "/plans",
    response={200: PlanPage, **ERRORS},
    auth=public,
    openapi_extra=PUBLIC,
    summary="List plans",
    description="Access: public. Every plan with its zone and current version.",
)
def plan_list(request: HttpRequest, limit: int = LIMIT, offset: int = OFFSET) -> PlanPage:
    qs = plans_with_versions(caller(request))
    count, plans = _page(qs, limit, offset)
    return PlanPage.model_validate(
        {"count": count, "limit": limit, "offset": offset, "items": [plan_out(p) for p in plans]}
    )


@router.get(
    "/plans/{plan_id}",
    response={200: PlanDetailOut, **ERRORS_404},
    auth=public,
    openapi_extra=PUBLIC,
    summary="One plan",
    description="Access: public. A plan with counts of its current version's nodes and targets.",
)
def plan_detail(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    plan = access_plan(caller(request), plan_id)
    version = plan.current_version
    counts: dict[str, int] = {}
    roles: dict[str, int] = {}
    if version is not None:
        kinds = version.nodes.values("kind").annotate(n=Count("id")).order_by("kind")
        counts = {row["kind"]: row["n"] for row in kinds}
        by_role = version.quantities.values("role").annotate(n=Count("id")).order_by("role")
        roles = {row["role"]: row["n"] for row in by_role}
    return PlanDetailOut.model_validate(
        {
            **plan_out(plan),
            "cities": [str(c) for c in (version.cities if version else [])],
            "node_counts": counts,
            "target_count": roles.get(QuantityRole.TARGET, 0),
            "baseline_count": roles.get(QuantityRole.BASELINE, 0),
            "action_target_count": roles.get(QuantityRole.ACTION_TARGET, 0),
        }
    )


@router.get(
    "/plans/{plan_id}/nodes",
    response={200: NodePage, **ERRORS_404},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Nodes of a plan",
    description=(
        "Access: public. The current version's node tree, flat in document order; rebuild the "
        "tree from `parent_id`. Filter by `kind` and by `parent` (a node id; 0 for the top)."
    ),
)
def plan_nodes(
    request: HttpRequest,
    plan_id: int,
    kind: NodeKind | None = None,
    parent: int | None = Query(None, ge=0, description="Only children of this node."),
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> NodePage:
    version = plan_version(access_plan(caller(request), plan_id))
    qs = version.nodes.order_by("seq")
    if kind is not None:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=None) if parent == 0 else qs.filter(parent_id=parent)
    count, nodes = _page(qs, limit, offset)
    return NodePage.model_validate(
        {"count": count, "limit": limit, "offset": offset, "items": [node_out(n) for n in nodes]}
    )


@router.get(
    "/nodes/{node_id}",
    response={200: NodeDetailOut, **ERRORS_404},
    auth=public,
    openapi_extra=PUBLIC,
    summary="One node",
    description="Access: public. A node with its children and the places it names.",
)
def node_detail(request: HttpRequest, node_id: int) -> NodeDetailOut:
    visible = plans_visible_to(caller(request)).values("pk")
    node = (
        Node.objects.select_related("version__plan")
        .filter(pk=node_id, version__plan__in=visible)
        .first()
    )
    if node is None:
        raise Http404
    plan = node.version.plan
    children = [
        NodeBrief(id=c.pk, kind=c.kind, label=c.label, title=c.title)
        for c in node.children.order_by("seq")
    ]
    places = [
        PlaceCount(
            code=p.org_unit.code, adcode=p.org_unit.adcode, name=p.org_unit.name, count=p.count
        )
        for p in node.place_links.select_related("org_unit").order_by("org_unit__path")
    ]
    return NodeDetailOut.model_validate(
        {
            **node_out(node),
            "plan": plan_ref(plan),
            "version_id": node.version_id,
            "is_current": plan.current_version_id == node.version_id,
            "children": children,
            "places": places,
        }
    )


@router.get(
    "/plans/{plan_id}/targets",
    response={200: QuantityPage, **ERRORS_404},
    auth=public,
    openapi_extra=PUBLIC,
    summary="Targets and baselines of a plan",
    description=(
        "Access: public. Targets (目标), baselines (基数) and action targets (任务目标) of the "
        "current version; filter with `role`."
    ),
)
def plan_targets(
    request: HttpRequest,
    plan_id: int,
    role: QuantityRole | None = None,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> QuantityPage:
    version = plan_version(access_plan(caller(request), plan_id))
    qs = Quantity.objects.filter(version=version).order_by("role", "seq", "id")
    if role is not None:
        qs = qs.filter(role=role)
    count, rows = _page(qs, limit, offset)
    items = [QuantityOut.model_validate(q, from_attributes=True) for q in rows]
    return QuantityPage.model_validate(
        {"count": count, "limit": limit, "offset": offset, "items": items}
    )
