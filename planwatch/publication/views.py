"""The planners' side of publication: publish or withdraw one object (buttons on the list,
task, indicator, project and index pages, rendered by the `publication` template tags), and
the page listing everything published and withdrawn (公开发布管理)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin
from planwatch.core.web import run_service
from planwatch.publication import services
from planwatch.publication.kinds import KINDS
from planwatch.publication.models import Publication


def access_subject(user: Any, kind_key: str, subject_id: int) -> Any:
    """The object of `kind_key` with `subject_id` if `user` may publish it; Http404 alike
    when it is missing, of no known kind, or not the user's to publish."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise Http404
    model = apps.get_model(kind.model)
    try:
        subject = model._default_manager.get(pk=int(subject_id))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not services.can_publish(user, subject):
        raise Http404
    return subject


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "publication:manage"


@login_required
@require_POST
def publish(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    subject = access_subject(request.user, kind, subject_id)
    note = request.POST.get("note", "")
    run_service(
        request,
        lambda: services.publish(actor=request.user, subject=subject, note=note),
        _("已公开发布，公众现在可以在公开门户看到。"),
    )
    return redirect(_back(request))


@login_required
@require_POST
def withdraw(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    subject = access_subject(request.user, kind, subject_id)
    reason = request.POST.get("reason", "")
    run_service(
        request,
        lambda: services.withdraw(actor=request.user, subject=subject, reason=reason),
        _("已撤回公开，公众不再能看到。"),
    )
    return redirect(_back(request))


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """Everything published, live first, with who withdrew what and why: for planners and
    administrators (others: 404, as for a page that does not exist)."""
    user = request.user
    if not (is_admin(user) or has_role(user, Role.PLANNER)):
        raise Http404
    rows = Publication.objects.select_related("published_by", "withdrawn_by").order_by(
        "withdrawn_at", "-published_at", "-pk"
    )[:500]
    kind = request.GET.get("kind", "")
    if kind in KINDS:
        rows = (
            Publication.objects.filter(kind=kind)
            .select_related("published_by", "withdrawn_by")
            .order_by("withdrawn_at", "-published_at", "-pk")[:500]
        )
    return render(
        request,
        "publication/manage.html",
        {"rows": rows, "kinds": [(k.key, k.title) for k in KINDS.values()], "kind": kind},
    )
