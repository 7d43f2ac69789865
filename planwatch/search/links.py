"""Where a search hit points to: the page of the plan that shows the node."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from planwatch.plans.models import Node, Plan
from planwatch.plans.selectors import node_page_of


def node_url(node: Node, plan: Plan) -> str:
    """The plan page showing `node` (its chapter or section page), anchored at the node."""
    try:
        page_key = node_page_of(node)
    except ImportError:
        page_key = node.key
    try:
        return reverse("node_detail", args=[plan.slug, page_key]) + f"#n-{node.key}"
    except NoReverseMatch:
        try:
            return reverse("plan_detail", args=[plan.slug])
        except NoReverseMatch:
            return f"/api/v1/nodes/{node.pk}"
