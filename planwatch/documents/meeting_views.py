"""Pages of the 联席会议: the meetings of the zones a user plans or leads, a meeting with its
decisions and their lights, progress reported by the lead units, the 纪要 drafted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import role_paths
from planwatch.core.middleware import ID_MAX
from planwatch.core.web import run_service
from planwatch.documents import meetings, services
from planwatch.documents.models import Document, JointMeeting, MeetingDecision
from planwatch.documents.permissions import can_manage_zone
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= ID_MAX else 0


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _visible(user: Any) -> QuerySet[JointMeeting]:
    qs = JointMeeting.objects.select_related("zone", "host")
    if getattr(user, "is_superuser", False):
        return qs
    q = Q(pk__in=[])
    for role in (Role.PLANNER, Role.LEADER):
        for path in role_paths(user, role):
            q |= Q(zone__path__startswith=path)
    for role in (Role.REPORTER, Role.UNIT_REVIEWER):
        for path in role_paths(user, role):
            q |= Q(decisions__lead_unit__path__startswith=path)
    return qs.filter(q).distinct()


def access_meeting(user: Any, pk: int) -> JointMeeting:
    meeting = _visible(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    zones = [
        z
        for z in OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("path")
        if can_manage_zone(request.user, z)
    ]
    return render(
        request,
        "documents/meetings.html",
        {
            "meetings": _visible(request.user).order_by("zone__path", "-session")[:200],
            "zones": zones,
            "next_meetings": [meetings.next_meeting(z) for z in zones],
            "cities": OrgUnit.objects.filter(
                kind=OrgUnitKind.PREFECTURE, parent__in=zones
            ).order_by("path"),
            "units": OrgUnit.objects.filter(
                kind__in=(OrgUnitKind.PREFECTURE, OrgUnitKind.DEPARTMENT),
            ).order_by("kind", "path")
            if zones
            else [],
        },
    )


@login_required
@require_POST
def meeting_create(request: HttpRequest) -> HttpResponse:
    zone = OrgUnit.objects.filter(pk=_int(request.POST.get("zone")), kind=OrgUnitKind.ZONE).first()
    host = OrgUnit.objects.filter(pk=_int(request.POST.get("host"))).first()
    held_on = _date(request.POST.get("held_on"))
    if zone is None or not can_manage_zone(request.user, zone):
        raise Http404
    members = list(
        OrgUnit.objects.filter(pk__in=[_int(v) for v in request.POST.getlist("members")])
    )
    created: list[JointMeeting] = []

    def create() -> None:
        if host is None or held_on is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("请填写承办城市和召开日期。"))
        created.append(
            meetings.meeting_create(
                actor=request.user,
                zone=zone,
                session=_int(request.POST.get("session")),
                held_on=held_on,
                host=host,
                members=members,
                agenda=request.POST.get("agenda", ""),
                plan=Plan.objects.filter(org_unit=zone).first(),
            )
        )

    if run_service(request, create, _("会议已登记。")):
        return redirect(created[0])
    return redirect("documents:meetings")


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    today = timezone.localdate()
    decisions = [
        (d, meetings.decision_light(d, today), meetings.can_report(request.user, d))
        for d in meeting.decisions.select_related("lead_unit", "case")
    ]
    manage = can_manage_zone(request.user, meeting.zone)
    return render(
        request,
        "documents/meeting.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "can_manage": manage,
            "units": OrgUnit.objects.filter(
                kind__in=(OrgUnitKind.PREFECTURE, OrgUnitKind.DEPARTMENT)
            ).order_by("kind", "path")
            if manage
            else [],
            "minutes": Document.objects.filter(meeting=meeting).order_by("-edition"),
        },
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    unit = OrgUnit.objects.filter(pk=_int(request.POST.get("lead_unit"))).first()
    deadline = _date(request.POST.get("deadline"))

    def add() -> None:
        if unit is None or deadline is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("请填写牵头单位和完成时限。"))
        meetings.decision_add(
            meeting=meeting,
            actor=request.user,
            text=request.POST.get("text", ""),
            lead_unit=unit,
            deadline=deadline,
        )

    run_service(request, add, _("议定事项已登记。"))
    return redirect(meeting)


@login_required
@require_POST
def decision_progress(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    decision = MeetingDecision.objects.filter(pk=decision_id, meeting=meeting).first()
    if decision is None:
        raise Http404
    run_service(
        request,
        lambda: meetings.decision_progress(
            decision=decision,
            actor=request.user,
            progress=request.POST.get("progress", ""),
            done=request.POST.get("done") == "1",
        ),
        _("落实情况已报送。"),
    )
    return redirect(meeting)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    created: list[Document] = []
    if run_service(
        request,
        lambda: created.append(
            services.document_build(
                kind="minutes", actor=request.user, year=meeting.held_on.year, meeting=meeting
            )
        ),
        _("会议纪要已起草。"),
    ):
        return redirect(created[0])
    return redirect(meeting)
