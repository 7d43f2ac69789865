"""`GET /api/v1/search`: full-text search across the plans, public."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Query

from planwatch.api.auth import caller, public
from planwatch.api.schemas import ErrorOut, PlanRef, SearchHitOut, SearchPage
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.search.links import node_url
from planwatch.search.selectors import MAX_LIMIT, search_nodes

router = Router(tags=["search"])
Q_PARAM = Query("", max_length=1000, description="What to look for.")
PLAN_PARAM = Query(None, description="Only this plan (id).")
KIND_PARAM = Query(None, description="Only nodes of this kind.")
PLACE_PARAM = Query(
    None,
    max_length=64,
    description="Only nodes naming this place (adcode, or code for a zone) or a unit below it.",
)
LIMIT_PARAM = Query(20, ge=1, le=MAX_LIMIT, description="Hits per page.")
OFFSET_PARAM = Query(0, ge=0, le=10_000_000, description="Hits to skip.")


def place_by_key(key: str | None) -> OrgUnit | None:
    """An organisation unit by adcode or code; unknown keys give a unit-less filter that
    matches nothing (None would mean "no filter")."""
    if not key:
        return None
    unit = OrgUnit.objects.filter(adcode=key).first() or OrgUnit.objects.filter(code=key).first()
    return unit if unit is not None else OrgUnit(path="//no such place//")


@router.get(
    "/search",
    # The id it had when this router lived in planwatch/search/api.py: the document is unchanged.
    operation_id="planwatch_search_api_search",
    response={200: SearchPage, 401: ErrorOut, 422: ErrorOut},
    auth=public,
    openapi_extra={"x-access": "public"},
    summary="Search the plans",
    description=(
        "Access: public. Nodes whose text contains every word of `q` (Chinese is segmented "
        "with the place and project dictionary), best first, with a snippet in which matches "
        "are wrapped in <mark>. Any `q` is accepted: quotes and brackets are read as text, "
        "AND/OR/NOT/NEAR in capitals are ignored."
    ),
)
def search(
    request: HttpRequest,
    q: str = Q_PARAM,
    plan: int | None = PLAN_PARAM,
    kind: NodeKind | None = KIND_PARAM,
    place: str | None = PLACE_PARAM,
    limit: int = LIMIT_PARAM,
    offset: int = OFFSET_PARAM,
) -> SearchPage:
    results = search_nodes(
        viewer=caller(request),
        q=q,
        plan=plan,
        kind=kind,
        place=place_by_key(place),
        limit=limit,
        offset=offset,
    )
    items = [
        SearchHitOut(
            node_id=h.node.pk,
            plan=PlanRef(id=h.plan.pk, slug=h.plan.slug, title=h.plan.title),
            kind=h.kind,
            kind_label=h.kind_label,
            title=h.title,
            snippet=str(h.snippet),
            page=h.node.page,
            url=node_url(h.node, h.plan),
        )
        for h in results.hits
    ]
    return SearchPage.model_validate(
        {
            "query": results.query,
            "count": results.total,
            "limit": results.limit,
            "offset": results.offset,
            "items": items,
        }
    )
