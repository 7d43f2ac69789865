"""The audit log page (administrators only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from planwatch.audit.lists import AuditFilter, AuditTable
from planwatch.audit.models import AuditEvent
from planwatch.audit.selectors import can_view_audit
from planwatch.core.listing import listing_response


@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    """Filter, sort, page and export the log."""
    if not can_view_audit(request.user):
        raise PermissionDenied
    return listing_response(
        request,
        queryset=AuditEvent.objects.select_related("actor").order_by("-id"),
        filterset_class=AuditFilter,
        table_class=AuditTable,
        title=_("审计日志"),
        export_name=_("审计日志"),
    )
