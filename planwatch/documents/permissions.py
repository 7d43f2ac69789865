"""Who may see and work on documents: the planners of the document's zone (a plan's zone, or
the province for a document with none) draft, review and issue; the zone's leaders read.
`access_document` answers "missing" and "not allowed" with the same 404."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, role_paths
from planwatch.documents.models import CoIssuer, Document
from planwatch.orgunits.models import OrgUnit

Action = Literal["view", "manage"]


def _province_wide(user: Any, role: Role) -> bool:
    return getattr(user, "is_superuser", False) or any(
        p.count("/") <= 2 for p in role_paths(user, role)
    )


def can_manage_zone(user: Any, zone: OrgUnit | None) -> bool:
    if zone is None:
        return _province_wide(user, Role.PLANNER)
    return has_role(user, Role.PLANNER, zone)


def can_manage(user: Any, doc: Document) -> bool:
    return can_manage_zone(user, doc.zone)


COSIGN_ROLES = (Role.PLANNER, Role.LEADER, Role.UNIT_REVIEWER)


def can_cosign(user: Any, unit: OrgUnit) -> bool:
    """Approves (会签) a joint document for `unit`: its head office (unit_reviewer), a leader
    or a planner whose scope covers it."""
    return any(has_role(user, role, unit) for role in COSIGN_ROLES)


def can_view(user: Any, doc: Document) -> bool:
    if can_manage(user, doc):
        return True
    co = CoIssuer.objects.filter(document=doc).select_related("unit")
    if any(can_cosign(user, c.unit) for c in co):
        return True
    if doc.zone is None:
        return _province_wide(user, Role.LEADER)
    return has_role(user, Role.LEADER, doc.zone)


def require_manager(user: Any, zone: OrgUnit | None) -> None:
    """`user` None is the system itself (the `planwatch document` command, jobs)."""
    if user is not None and not can_manage_zone(user, zone):
        raise PermissionDenied(_("只有负责该地区的规划处室人员可以起草和印发公文。"))


def documents_for(user: Any) -> QuerySet[Document]:
    """The documents `user` may see: those of the zones they plan or lead."""
    qs = Document.objects.select_related("plan", "zone")
    if getattr(user, "is_superuser", False):
        return qs
    q = Q(pk__in=[])
    for role in (Role.PLANNER, Role.LEADER):
        for path in role_paths(user, role):
            q |= Q(zone__path__startswith=path)
            if path.count("/") <= 2:
                q |= Q(zone__isnull=True)
    for role in COSIGN_ROLES:
        for path in role_paths(user, role):
            q |= Q(pk__in=CoIssuer.objects.filter(unit__path__startswith=path).values("document"))
    return qs.filter(q)


def access_document(user: Any, pk: int, *, action: Action = "view") -> Document:
    doc = Document.objects.select_related("plan", "zone", "case").filter(pk=pk).first()
    allowed = doc is not None and (
        can_manage(user, doc) if action == "manage" else can_view(user, doc)
    )
    if doc is None or not allowed:
        raise Http404
    return doc
