"""What the implementation endpoints share: the one router, the decorator factories that
register a signed-in read, action or download, the response shapes of tasks, lists, reports,
evidence and cases, and the guards (CSRF for sessions, the version the caller read, service
refusals as HTTP errors)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.params.functions import Query
from ninja.utils import check_csrf

from planwatch.api.auth import signed_in
from planwatch.api.schemas import ErrorOut, PlanRef, UnitRef
from planwatch.core.workflow import ConcurrentUpdate, ServiceError
from planwatch.orgunits.models import OrgUnit
from planwatch.reports.models import Evidence, ProgressReport
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.models import AnnualList, Task

router = Router(tags=["implementation"], auth=signed_in)
SIGNED_IN = {"x-access": "signed-in"}
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACT: dict[int, Any] = {**READ, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
LIMIT = Query(50, ge=1, le=500, description="Items per page.")
OFFSET = Query(0, ge=0, le=10_000_000, description="Items to skip.")
ID = Query(None, ge=1, le=2_000_000_000)
V = TypeVar("V", bound=Callable[..., Any])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET = "application/octet-stream"
# Evidence kinds (planwatch.reports.evidence.SIGNATURES) → the type a download is served as.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX,
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ofd": "application/ofd",
}


def operation_id(func: Callable[..., Any]) -> str:
    """The id the operations had when they lived in one module (`planwatch.api.implementation`),
    kept so that clients generated from the document do not change with the package layout."""
    return f"planwatch_api_implementation_{func.__name__}"


def register_operation(method: str, path: str, **options: Any) -> Callable[[V], V]:
    def decorator(func: V) -> V:
        register = router.api_operation([method], path, operation_id=operation_id(func), **options)
        return register(func)

    return decorator


def read(path: str, out: Any, *, summary: str, description: str) -> Callable[[V], V]:
    """Register a signed-in GET answering `out`."""
    return register_operation(
        "GET",
        path,
        response={200: out, **READ},
        openapi_extra=SIGNED_IN,
        summary=summary,
        description=description,
    )


def act(
    path: str,
    out: Any,
    *,
    summary: str,
    description: str,
    method: str = "POST",
    status: int = 200,
    openapi: dict[str, Any] | None = None,
) -> Callable[[V], V]:
    """Register a signed-in workflow action answering `out` with `status`, or an error
    (`openapi` is merged into the operation's document)."""
    return register_operation(
        method,
        path,
        response={status: out, **ACT},
        openapi_extra={**SIGNED_IN, **(openapi or {})},
        summary=summary,
        description=description,
    )


def download(
    path: str,
    content_types: list[str],
    *,
    summary: str,
    description: str,
    url_name: str,
    errors: dict[int, Any] | None = None,
) -> Callable[[V], V]:
    """Register a signed-in GET answering a file of one of `content_types` (or one of the
    read errors, and `errors`)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {"content": {t: binary for t in content_types}}
    return register_operation(
        "GET",
        path,
        response={200: None, **READ, **(errors or {})},
        openapi_extra={**SIGNED_IN, "responses": {200: {"description": "The file."} | content}},
        summary=summary,
        description=description,
        url_name=url_name,
    )


def unit_ref(u: OrgUnit | None) -> UnitRef | None:
    return UnitRef(code=u.code, name=u.name) if u is not None else None


def page(items: list[Any], count: int, limit: int, offset: int) -> dict[str, Any]:
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def render(request: HttpRequest, payload: dict[str, Any]) -> HttpResponse:
    """`payload` as the API's JSON, without a pass through the operation's response schema.
    For the hot list reads, whose rows are built as plain dicts in the schema's field order
    with the schema's types (tests/api/test_read_rows.py compares them with the validated
    schema's output): validating and dumping 50 rows through django-ninja's per-field getters
    cost more CPU than the rest of the request."""
    from planwatch.api.api import api

    return api.create_response(request, payload, status=200)


def page_ids(qs: QuerySet[Any], limit: int, offset: int) -> list[int]:
    """The ids of one page of `qs`, in its order, read without the rows' columns or their
    related rows (the page's rows are then read by id): the database sorts narrow rows.
    (The count stays a query of its own: a window count over the same scan made the
    database sort every row instead of keeping the top of the page.)"""
    page_qs = qs.select_related(None).prefetch_related(None)
    return list(page_qs.values_list("pk", flat=True)[offset : offset + limit])


def unit_refs(through: type[Model], owner: str, ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """owner id → the units a many-to-many of `ids` links it to, as UnitRefs in the units'
    order (path): one query on the link table."""
    out: dict[int, list[dict[str, str]]] = {}
    rows = (
        through._default_manager.filter(**{f"{owner}__in": ids})
        .order_by("orgunit__path")
        .values_list(owner, "orgunit__code", "orgunit__name")
    )
    for owner_id, code, name in rows:
        out.setdefault(owner_id, []).append({"code": code, "name": name})
    return out


TASK_ROW = (
    *("pk", "plan_id", "plan__slug", "plan__title", "annual_list_id", "year", "seq", "title"),
    *("clause_key", "lead_unit__code", "lead_unit__name", "start", "deadline", "deadline_text"),
    *("status", "version"),
)


def task_rows(ids: list[int]) -> list[dict[str, Any]]:
    """The tasks `ids` in that order, as `task_out` gives them (TaskOut): two queries, only
    the columns shown, no model instances."""
    rows = {r["pk"]: r for r in Task.objects.filter(pk__in=ids).values(*TASK_ROW)}
    units = unit_refs(Task.responsible_units.through, "task_id", ids)
    out = []
    for pk in ids:
        r = rows[pk]
        lead = r["lead_unit__code"]
        out.append(
            {
                "id": pk,
                "plan": {"id": r["plan_id"], "slug": r["plan__slug"], "title": r["plan__title"]},
                "list_id": r["annual_list_id"],
                **{f: r[f] for f in ("year", "seq", "title", "clause_key")},
                "lead_unit": None if lead is None else {"code": lead, "name": r["lead_unit__name"]},
                "responsible_units": units.get(pk, []),
                **{f: r[f] for f in ("start", "deadline", "deadline_text", "status", "version")},
            }
        )
    return out


REPORT_ROW = (
    *("pk", "task_id", "task__title", "unit__code", "unit__name", "period_start", "period_end"),
    *("period_label", "due", "revision", "is_current", "completion", "progress_status"),
    *("status", "version"),
)


def report_rows(ids: list[int]) -> list[dict[str, Any]]:
    """The reports `ids` in that order, as the list shows them (ReportOut): one query, only
    the columns shown (not the narrative)."""
    rows = {r["pk"]: r for r in ProgressReport.objects.filter(pk__in=ids).values(*REPORT_ROW)}
    out = []
    for pk in ids:
        r = rows[pk]
        completion = r["completion"]
        out.append(
            {
                "id": pk,
                "task_id": r["task_id"],
                "task_title": r["task__title"],
                "unit": {"code": r["unit__code"], "name": r["unit__name"]},
                **{f: r[f] for f in ("period_start", "period_end", "period_label", "due")},
                **{f: r[f] for f in ("revision", "is_current")},
                "completion": float(completion) if completion is not None else None,
                **{f: r[f] for f in ("progress_status", "status", "version")},
            }
        )
    return out


CASE_ROW = (
    *("pk", "task_id", "task__title", "title", "subject_type_id", "subject_id", "plan_id"),
    *("year", "status", "light", "unit__code", "unit__name", "ack_due", "feedback_due"),
    *("opened_at", "closed_at", "version"),
)


def _subject_urls(rows: list[dict[str, Any]]) -> dict[tuple[int, int], str]:
    """(content type id, object id) → the page of each subject of cases without a task
    (`SupervisionCase.about_url`): one query per kind of subject, not one per case."""
    wanted: dict[int, set[int]] = {}
    for r in rows:
        if r["task_id"] is None and r["subject_type_id"] is not None:
            wanted.setdefault(r["subject_type_id"], set()).add(r["subject_id"])
    urls: dict[tuple[int, int], str] = {}
    for type_id, object_ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        found = model._default_manager.in_bulk(object_ids) if model is not None else {}
        for object_id, subject in found.items():
            get_url = getattr(subject, "get_absolute_url", None)
            urls[(type_id, object_id)] = str(get_url()) if get_url is not None else ""
    return urls


def case_rows(ids: list[int]) -> list[dict[str, Any]]:
    """The cases `ids` in that order, as the list shows them (CaseOut, as `case_out` gives
    them): one query, plus one per kind of subject among cases without a task."""
    rows = {r["pk"]: r for r in SupervisionCase.objects.filter(pk__in=ids).values(*CASE_ROW)}
    ordered = [rows[pk] for pk in ids]
    urls = _subject_urls(ordered)
    # the task page's path reversed once (a reverse per row cost more than the row)
    marker = 987_654_321
    head, _, tail = reverse("tasks:task_detail", args=[marker]).partition(str(marker))
    out = []
    for r in ordered:
        task_id, type_id = r["task_id"], r["subject_type_id"]
        label = r["task__title"] if task_id is not None else r["title"]
        if task_id is not None:
            url = f"{head}{task_id}{tail}"
        else:
            url = urls.get((type_id, r["subject_id"]), "")
        subject_type = None
        if type_id is not None:
            ct = ContentType.objects.get_for_id(type_id)
            subject_type = f"{ct.app_label}.{ct.model}"
        unit = r["unit__code"]
        out.append(
            {
                "id": r["pk"],
                "task_id": task_id,
                "task_title": label,
                "title": label,
                "subject_type": subject_type,
                "subject_id": r["subject_id"],
                "subject_url": url,
                **{f: r[f] for f in ("plan_id", "year", "status", "light")},
                "unit": None if unit is None else {"code": unit, "name": r["unit__name"]},
                **{f: r[f] for f in ("ack_due", "feedback_due", "opened_at", "closed_at")},
                "version": r["version"],
            }
        )
    return out


@contextmanager
def service_errors() -> Iterator[None]:
    """Service refusals in the one error shape: stale or concurrent → 409, a step the
    state does not allow → 409, bad input → 422, a role the step needs → 403."""
    try:
        yield
    except ValidationError as exc:
        raise HttpError(422, _("；").join(exc.messages)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "forbidden") from None
    except ServiceError as exc:
        raise HttpError(409, str(exc)) from None


def require_csrf(request: HttpRequest) -> None:
    """Browsers acting with their session must pass Django's CSRF check (django-ninja
    exempts its views); scripts with a bearer token need not. Only a request that a bearer
    token authenticated skips the check: an empty `Authorization:` header is no header."""
    if getattr(request, "token_authenticated", False):
        return
    if check_csrf(request) is not None:
        raise HttpError(403, "CSRF verification failed")


def guard(request: HttpRequest, version: int, current: int) -> None:
    """CSRF for sessions, then the version: one other than the stored one is stale."""
    require_csrf(request)
    if version != current:
        raise HttpError(409, str(ConcurrentUpdate("stale version")))


def task_out(t: Task, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": t.pk,
        "plan": PlanRef(id=t.plan.pk, slug=t.plan.slug, title=t.plan.title),
        "list_id": t.annual_list_id,
        "year": t.year,
        "seq": t.seq,
        "title": t.title,
        "clause_key": t.clause_key,
        "lead_unit": unit_ref(t.lead_unit),
        "responsible_units": [unit_ref(u) for u in t.responsible_units.all()],
        "start": t.start,
        "deadline": t.deadline,
        "deadline_text": t.deadline_text,
        "status": t.status,
        "version": t.version,
    }
    if detail:
        out |= {
            "content": t.content,
            "criterion": t.criterion,
            "weight": float(t.weight),
            "supporting_units": [unit_ref(u) for u in t.supporting_units.all()],
            "co_lead_units": [unit_ref(u) for u in t.co_lead_units.all()],
        }
    return out


def list_out(a: AnnualList) -> dict[str, Any]:
    return {
        "id": a.pk,
        "plan": PlanRef(id=a.plan.pk, slug=a.plan.slug, title=a.plan.title),
        "year": a.year,
        "status": a.status,
        "frequency": a.frequency,
        "issued_number": a.issued_number,
        "issued_at": a.issued_at,
        "version": a.version,
    }


def evidence_out(e: Evidence) -> dict[str, Any]:
    url = reverse("api-v1:report_evidence_file", args=(e.report_id, e.pk))
    fields = ("id", "name", "size", "kind", "sha256", "uploaded_at")
    return {f: getattr(e, f) for f in fields} | {
        "content_type": CONTENT_TYPES.get(e.kind, OCTET),
        "download_url": url,
    }


def report_out(r: ProgressReport, *, detail: bool = False) -> dict[str, Any]:
    evidence = [evidence_out(e) for e in r.evidence.all()] if detail else []
    return {
        **{f: getattr(r, f) for f in ("id", "task_id", "period_start", "period_end")},
        **{f: getattr(r, f) for f in ("period_label", "due", "revision", "is_current")},
        **{f: getattr(r, f) for f in ("progress_status", "status", "version", "narrative")},
        **{f: getattr(r, f) for f in ("return_reason", "submitted_at", "accepted_at")},
        "task_title": r.task.title,
        "unit": unit_ref(r.unit),
        "completion": float(r.completion) if r.completion is not None else None,
        "evidence": evidence,
    }


def case_out(c: SupervisionCase) -> dict[str, Any]:
    return {
        **{f: getattr(c, f) for f in ("id", "task_id", "status", "light", "ack_due")},
        **{f: getattr(c, f) for f in ("feedback_due", "opened_at", "closed_at", "version")},
        "reason": c.reason,
        "feedback": c.feedback,
        "task_title": c.label,
        "title": c.label,
        "subject_type": (
            f"{c.subject_type.app_label}.{c.subject_type.model}" if c.subject_type else None
        ),
        "subject_id": c.subject_id,
        "subject_url": c.about_url,
        "plan_id": c.plan_id,
        "year": c.year,
        "unit": unit_ref(c.unit),
    }
