"""Pages of the plans: the home page, a plan's table of contents, its chapters and sections
in its own words, its targets and baselines, its versions and their diffs, the source text
by line, and the upload page for planners. Views authorise, read through selectors or call
one service, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planwatch.accounts.permissions import is_planner
from planwatch.plans import selectors, services
from planwatch.plans.forms import PlanUploadForm
from planwatch.plans.ingest_jobs import ingest_job_retry, ingest_job_retryable, ingest_job_submit
from planwatch.plans.models import IngestJob, Plan
from planwatch.plans.services import can_publish_plan


def _version_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("v", "")
    return int(raw) if raw.isdigit() else None


def home(request: HttpRequest) -> HttpResponse:
    summaries = selectors.plan_summaries_for(viewer=request.user)
    return render(request, "plans/home.html", {"summaries": summaries})


def plan_list(request: HttpRequest) -> HttpResponse:
    summaries = selectors.plan_summaries_for(viewer=request.user)
    return render(request, "plans/plan_list.html", {"summaries": summaries})


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.access_plan(request.user, slug)
    version = selectors.access_version(request.user, plan, _version_number(request))
    context = {
        "plan": plan,
        "version": version,
        "toc": selectors.plan_toc_for(viewer=request.user, version=version),
        "cities": selectors.plan_cities_for(viewer=request.user, version=version),
        "can_publish": can_publish_plan(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _publication_step(request: HttpRequest, slug: str, step: Callable[[Plan], Any]) -> Any:
    """Run one publishing step on a plan the planner may read; refusals become messages."""
    plan = selectors.access_plan(request.user, slug)
    if not can_publish_plan(request.user, plan):
        raise PermissionDenied
    try:
        return step(plan)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return None


@login_required
@require_POST
def plan_publish(request: HttpRequest, slug: str) -> HttpResponse:
    done = _publication_step(
        request, slug, lambda plan: services.plan_publish(plan=plan, actor=request.user)
    )
    if done is not None:
        messages.success(request, _("规划已发布，所有人都可以看到。"))
    return redirect("plan_detail", slug)


@login_required
@require_POST
def plan_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    done = _publication_step(
        request,
        slug,
        lambda plan: services.plan_unpublish(plan=plan, actor=request.user, reason=reason),
    )
    if done is not None:
        messages.success(request, _("规划已撤回发布，只有规划处室人员可以看到。"))
    return redirect("plan_detail", slug)


@login_required
@require_POST
def plan_delete(request: HttpRequest, slug: str) -> HttpResponse:
    def delete(plan: Plan) -> bool:
        services.plan_delete(plan=plan, actor=request.user)
        return True

    if _publication_step(request, slug, delete):
        messages.success(request, _("规划已删除。"))
        return redirect("plan_list")
    return redirect("plan_detail", slug)


def node_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    plan = selectors.access_plan(request.user, slug)
    version = selectors.access_version(request.user, plan, _version_number(request))
    node = selectors.access_node(request.user, version, key)
    page_key = selectors.node_page_of(node)
    if page_key != node.key:
        url = reverse("node_detail", args=[plan.slug, page_key])
        query = f"?v={version.number}" if version.pk != plan.current_version_id else ""
        return redirect(f"{url}{query}#n-{node.key}")
    context = {
        "plan": plan,
        "version": version,
        "is_current": version.pk == plan.current_version_id,
        "tree": selectors.node_subtree_for(viewer=request.user, node=node),
        "ancestors": selectors.node_ancestors_for(viewer=request.user, node=node),
        "neighbours": selectors.node_neighbours_for(viewer=request.user, node=node),
    }
    return render(request, "plans/node_detail.html", context)


def plan_targets(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.access_plan(request.user, slug)
    version = selectors.access_version(request.user, plan, _version_number(request))
    quantities = selectors.plan_quantities_for(viewer=request.user, version=version)
    context = {
        "plan": plan,
        "version": version,
        "targets": quantities["target"],
        "baselines": quantities["baseline"],
        "action_targets": quantities["action_target"],
    }
    return render(request, "plans/plan_targets.html", context)


def plan_versions(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.access_plan(request.user, slug)
    versions = selectors.plan_versions_for(viewer=request.user, plan=plan)
    return render(request, "plans/plan_versions.html", {"plan": plan, "versions": versions})


def plan_version_diff(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    plan = selectors.access_plan(request.user, slug)
    version = selectors.access_version(request.user, plan, number)
    diff = selectors.version_diff_for(viewer=request.user, version=version)
    context = {"plan": plan, "version": version, "diff": diff}
    return render(request, "plans/plan_version_diff.html", context)


def plan_source(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.access_plan(request.user, slug)
    version = selectors.access_version(request.user, plan, _version_number(request))
    raw = request.GET.get("line", "")
    line = int(raw) if raw.isdigit() else version.line
    found = selectors.source_lines_for(viewer=request.user, version=version, around=line)
    lines, total = found if found is not None else ([], 0)
    context = {"plan": plan, "version": version, "line": line, "lines": lines, "total": total}
    return render(request, "plans/plan_source.html", context)


def _jobs_context(jobs: list[IngestJob]) -> dict[str, Any]:
    return {
        "jobs": jobs,
        "job_ids": ",".join(str(j.pk) for j in jobs),
        "jobs_pending": any(j.pending for j in jobs),
        "retryable": {j.pk for j in jobs if ingest_job_retryable(j)},
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload: each file becomes a job on the queue (planwatch/plans/ingest_jobs.py); the
    results list polls until every job has finished."""
    if not is_planner(request.user):
        raise Http404
    posted = request.method == "POST"
    form = PlanUploadForm(request.POST, request.FILES) if posted else PlanUploadForm()
    if posted and form.is_valid():
        jobs = [
            ingest_job_submit(name=f.name or "", data=f.read(), actor=request.user)
            for f in form.cleaned_data["documents"]
        ]
    else:
        # Before an upload: the viewer's uploads still pending or failed, if any.
        jobs = [] if posted else selectors.ingest_jobs_for(viewer=request.user)
    context: dict[str, Any] = {"form": form, **_jobs_context(jobs)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "plans/partials/_upload_results.html", context)
    context["documents"] = selectors.document_list_for(viewer=request.user)
    return render(request, "plans/plan_upload.html", context)


def _job_ids(raw: str) -> list[int]:
    ids = [int(p) for p in raw.split(",") if p.strip().isdigit()]
    if not ids or len(ids) > 100:
        raise Http404
    return ids


@login_required
@require_GET
def plan_upload_jobs(request: HttpRequest) -> HttpResponse:
    """The results list of some of the viewer's uploads (polled by the upload page)."""
    if not is_planner(request.user):
        raise Http404
    jobs = selectors.ingest_jobs_for(viewer=request.user, ids=_job_ids(request.GET.get("ids", "")))
    return render(request, "plans/partials/_upload_results.html", _jobs_context(jobs))


@login_required
@require_POST
def plan_upload_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    found = selectors.ingest_jobs_for(viewer=request.user, ids=[job_id])
    if not found:
        raise Http404
    try:
        job = ingest_job_retry(job=IngestJob.objects.get(pk=found[0].pk), actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        job = found[0]
    if request.headers.get("HX-Request") == "true":
        return render(request, "plans/partials/_upload_results.html", _jobs_context([job]))
    return redirect("plan_upload")
