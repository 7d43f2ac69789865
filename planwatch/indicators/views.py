"""Pages of indicator monitoring: the index, the indicator × year matrix of a zone or a
prefecture (and its xlsx export), an indicator with its path, map and sources, the drafts of
a plan for its planners, and the import page for data clerks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import units_for
from planwatch.core.web import refusal_message
from planwatch.core.workflow import ServiceError
from planwatch.indicators import services
from planwatch.indicators.charts import indicator_chart_data
from planwatch.indicators.choices import Kind, Origin
from planwatch.indicators.export import matrix_export
from planwatch.indicators.forms import (
    BenchmarkForm,
    ImportForm,
    IndicatorForm,
    ObservationForm,
    SplitForm,
)
from planwatch.indicators.imports import observations_import
from planwatch.indicators.models import Indicator, Observation
from planwatch.indicators.permissions import (
    EDIT,
    access_indicator,
    can_manage_indicator,
    can_verify,
)
from planwatch.indicators.selectors import (
    action_targets_offered,
    drafts_for,
    history_for,
    latest_statuses,
    matrix_for,
    observations_for,
)
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.permissions import can_manage_plan
from planwatch.tasks.xlsx import ImportFailed


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    zones = OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).prefetch_related("children")
    plans = [p for p in Plan.objects.all() if can_manage_plan(request.user, p)]
    return render(request, "indicators/index.html", {"zones": zones, "plans": plans})


@login_required
@require_GET
def matrix(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(
        OrgUnit, code=code, kind__in=(OrgUnitKind.ZONE, OrgUnitKind.PREFECTURE, OrgUnitKind.COUNTY)
    )
    data = matrix_for(user=request.user, place=place)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            matrix_export(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{place.code}.xlsx"
        return response
    return render(request, "indicators/matrix.html", {"matrix": data, "place": place})


@login_required
@require_GET
def detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    ind = access_indicator(request.user, indicator_id)
    observations = list(observations_for(user=request.user, indicator=ind))
    statuses = latest_statuses(
        user=request.user, indicator=ind, observation_ids=[o.pk for o in observations]
    )
    enter_places = _enter_places(request.user, ind)
    context: dict[str, Any] = {
        "ind": ind,
        "observations": [
            (o, statuses.get(o.pk), can_verify(request.user, o.place)) for o in observations
        ],
        # the replaced values only: the current ones are listed above
        "history": list(history_for(user=request.user, indicator=ind).filter(is_current=False)),
        "chart": indicator_chart_data(ind, observations, statuses),
        "can_manage": can_manage_indicator(request.user, ind),
        "form": ObservationForm() if enter_places else None,
        "enter_places": enter_places,
        "split": services.decomposition_check(ind),
        "parts": ind.targets.select_related("place").order_by("place__path"),
        "children": ind.place.children.order_by("path") if ind.place else [],
        "benchmarks": ind.benchmarks.order_by("year") if ind.kind == Kind.RELATIVE else [],
        "benchmark_form": BenchmarkForm() if ind.kind == Kind.RELATIVE else None,
        # warnings (预警) are internal: signed-in users only, not the public
        "warnings": (
            ind.warnings.select_related("place", "case").order_by("closed_at", "-raised_at")
            if request.user.is_authenticated
            else []
        ),
    }
    return render(request, "indicators/detail.html", context)


def _enter_places(user: Any, ind: Indicator) -> list[OrgUnit]:
    if ind.status != "confirmed" or ind.place is None:
        return []
    mine = units_for(user, Role.DATA_CLERK).filter(path__startswith=ind.place.path)
    return list(mine.exclude(kind=OrgUnitKind.DEPARTMENT)[:300])


@login_required
@require_POST
def observation_add(request: HttpRequest, indicator_id: int) -> HttpResponse:
    ind = access_indicator(request.user, indicator_id)
    form = ObservationForm(request.POST)
    places = {u.pk: u for u in _enter_places(request.user, ind)}
    if not places:
        raise Http404
    if not form.is_valid() or form.cleaned_data["place"] not in places:
        messages.error(request, _("请检查填写的内容。"))
        return redirect("indicators:detail", ind.pk)
    d = form.cleaned_data
    try:
        services.observation_create(
            indicator=ind,
            place=places[d["place"]],
            year=d["year"],
            value=d["value"],
            actor=request.user,
            source=d["source"] or "",
            stage=d["stage"],
            source_page=d["source_page"],
            source_url=d["source_url"] or "",
        )
    except (ValidationError, ServiceError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("已保存，待审核。"))
    return redirect("indicators:detail", ind.pk)


@login_required
@require_POST
def observation_verify(request: HttpRequest, observation_id: int) -> HttpResponse:
    obs = get_object_or_404(
        Observation.objects.select_related("indicator", "place"), pk=observation_id
    )
    if not can_verify(request.user, obs.place):
        raise Http404
    try:
        services.observation_verify(observation=obs, actor=request.user)
    except (ServiceError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("已审核。"))
    return redirect("indicators:detail", obs.indicator_id)


@login_required
@require_http_methods(["GET", "POST"])
def plan_drafts(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=slug)
    if not can_manage_plan(request.user, plan):
        raise Http404
    if request.method == "POST":
        try:
            origin = Origin.ACTION if request.POST.get("origin") == Origin.ACTION else Origin.GOAL
            result = services.indicator_drafts_generate(
                plan=plan, actor=request.user, origin=origin
            )
        except ServiceError as exc:
            refusal_message(request, exc)
        else:
            messages.success(request, _("已生成 %(n)d 个指标草稿。") % {"n": len(result.created)})
        return redirect("indicators:plan_drafts", plan.slug)
    rows = drafts_for(user=request.user, plan=plan)
    context = {
        "plan": plan,
        "rows": rows,
        "kinds": Kind.choices,
        "action_targets": action_targets_offered(plan),
    }
    return render(request, "indicators/drafts.html", context)


@login_required
@require_POST
def indicator_action(request: HttpRequest, indicator_id: int, action: str) -> HttpResponse:
    ind = access_indicator(request.user, indicator_id, action=EDIT)
    try:
        if action == "confirm":
            services.indicator_confirm(indicator=ind, actor=request.user)
        elif action == "edit":
            form = IndicatorForm(request.POST, instance=Indicator.objects.get(pk=ind.pk))
            if not form.is_valid():
                raise ValidationError([f"{k}: {v[0]}" for k, v in form.errors.items()])
            changes = {k: form.cleaned_data[k] for k in form.changed_data}
            services.indicator_update(indicator=ind, actor=request.user, changes=changes)
        elif action == "split":
            _split(request, ind)
        elif action == "benchmark":
            _benchmark(request, ind)
        elif action == "merge":
            keep = access_indicator(request.user, request.POST.get("into", ""), action=EDIT)
            services.indicator_merge(keep=keep, duplicate=ind, actor=request.user)
        else:
            raise Http404
    except (ValidationError, ServiceError, PermissionDenied) as exc:
        refusal_message(request, exc)
    else:
        messages.success(request, _("操作成功。"))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/indicators/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("indicators:plan_drafts", ind.plan.slug)


def _split(request: HttpRequest, ind: Indicator) -> None:
    """A planner sets one place's share of the target (and its baseline)."""
    form = SplitForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请检查填写的内容。"))
    d = form.cleaned_data
    place = ind.place and ind.place.children.filter(pk=d["place"]).first()
    if not place:
        raise ValidationError(_("分解目标的地区应在指标所属地区之内。"))
    services.indicator_target_set(
        indicator=ind,
        place=place,
        value=d["value"],
        actor=request.user,
        weight=d["weight"],
        baseline_value=d["baseline_value"],
    )


def _benchmark(request: HttpRequest, ind: Indicator) -> None:
    """A planner records a relative indicator's benchmark (全国/全省) for one year."""
    form = BenchmarkForm(request.POST)
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items() if k in form.fields]
        )
    d = form.cleaned_data
    services.benchmark_set(
        indicator=ind,
        year=d["year"],
        value=d["value"],
        scope=d["scope"],
        source=d["source"],
        source_url=d["source_url"] or "",
        actor=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    places = list(
        units_for(request.user, Role.DATA_CLERK).exclude(kind=OrgUnitKind.DEPARTMENT)[:300]
    )
    if not places:
        raise Http404
    plans = list(Plan.objects.all())
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        plan = next((p for p in plans if p.pk == d["plan"]), None)
        place = next((p for p in places if p.pk == d["place"]), None)
        upload = d["file"]
        if plan is None or (d["place"] and place is None):
            messages.error(request, _("请检查填写的内容。"))
        else:
            try:
                result = observations_import(
                    data=upload.read(),
                    filename=upload.name,
                    plan=plan,
                    actor=request.user,
                    source=d["source"] or "",
                    stage=d["stage"],
                    source_page=d["source_page"],
                    source_url=d["source_url"] or "",
                    year=d["year"],
                    place=place,
                )
            except ImportFailed as exc:
                messages.error(request, str(exc))
                errors = exc.errors
            except PermissionDenied as exc:
                refusal_message(request, exc)
            else:
                messages.success(
                    request,
                    _("已导入 %(n)d 个数值（其中修订 %(r)d 个），待审核。")
                    % {"n": result.created + result.revised, "r": result.revised},
                )
                return redirect("indicators:import")
    context = {"form": form, "places": places, "plans": plans, "errors": errors}
    return render(request, "indicators/import.html", context, status=400 if errors else 200)
