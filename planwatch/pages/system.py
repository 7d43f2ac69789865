"""The system page for administrators: the job queue, its worker's heartbeat, the daily
supervision runs and recent uploads, with a button to run the supervision job now."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.audit.models import AuditEvent
from planwatch.audit.selectors import can_view_audit
from planwatch.core.queue import describe, is_embedded
from planwatch.plans.models import IngestJob
from planwatch.supervision import scheduled
from planwatch.supervision.choices import Light


def _queue_state() -> dict[str, Any]:
    huey = settings.HUEY
    state: dict[str, Any] = {"description": describe(huey), "embedded": is_embedded(huey)}
    try:
        state |= {
            "pending": huey.pending_count(),
            "scheduled": huey.scheduled_count(),
            "heartbeat": scheduled.worker_heartbeat(),
        }
    except Exception as exc:  # the storage's own error: an unreachable Redis, a bad file
        state["error"] = str(exc)
    return state


@login_required
@require_GET
def system_jobs(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        raise Http404
    # alert the administrators if the worker has stopped; an unreachable queue storage is
    # shown on the page below instead
    with contextlib.suppress(Exception):
        scheduled.worker_alert(timezone.now())
    events = (
        AuditEvent.objects.filter(action="supervise.run").defer("old").order_by("-created_at")[:10]
    )
    runs = [
        {
            "event": e,
            "lights": [
                (Light(code).label if code in Light.values else code, n)
                for code, n in sorted((e.new or {}).get("lights", {}).items())
            ],
            **{k: (e.new or {}).get(k, 0) for k in ("cases_opened", "reminders", "escalations")},
        }
        for e in events
    ]
    uploads = IngestJob.objects.defer("content").select_related("requested_by").order_by("-id")[:10]
    context = {
        "queue": _queue_state(),
        "supervise_at": settings.PLANWATCH_SUPERVISE_AT,
        "runs": runs,
        "uploads": uploads,
        "now": timezone.now(),
    }
    return render(request, "pages/system_jobs.html", context)


@login_required
@require_POST
def system_supervise_now(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        raise Http404
    try:
        scheduled.supervise_now(timezone.localdate().isoformat())
    except Exception as exc:  # the queue is unreachable: say so, nothing was enqueued
        messages.error(request, _("无法加入作业队列：%(e)s") % {"e": exc})
    else:
        messages.success(request, _("督办作业已加入队列，将由后台作业进程执行。"))
    return redirect("pages:system_jobs")
