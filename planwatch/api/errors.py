"""The one error shape of the API, `{"error": {"code", "message"}}`, for every 4xx and 5xx:
raised errors, failed validation, unknown paths and methods, and crashes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    422: "invalid_request",
    429: "too_many_requests",
    500: "server_error",
}


def error_response(status: int, message: str, code: str | None = None) -> JsonResponse:
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="planwatch"'
    return response


# Where django-ninja says a value came from; not part of the field's name.
_SOURCES = frozenset({"body", "query", "path", "file", "form", "header", "cookie"})
# The fields requests carry, named as the pages name them (the key follows in brackets, so a
# script still sees which field it was).
FIELD_LABELS = {
    "version": _("版本号"),
    "completion": _("完成进度"),
    "progress_status": _("进展状态"),
    "narrative": _("进展情况"),
    "issues": _("存在问题"),
    "unit": _("单位"),
    "period_start": _("报送期起始日"),
    "file": _("文件"),
    "reason": _("原因"),
    "plan_id": _("规划"),
    "plan": _("规划"),
    "year": _("年度"),
    "month": _("月份"),
    "title": _("名称"),
    "content": _("具体内容"),
    "criterion": _("完成标准"),
    "lead_unit": _("牵头单位"),
    "responsible_units": _("责任单位"),
    "supporting_units": _("配合单位"),
    "deadline": _("完成时限"),
    "frequency": _("报送频次"),
    "note": _("备注"),
    "value": _("数值"),
    "amount": _("金额"),
    "limit": _("每页条数"),
    "offset": _("跳过条数"),
    "q": _("检索词"),
    "parent": _("上级节点"),
    "kind": _("类型"),
    "place": _("地区"),
    "status": _("状态"),
    "light": _("灯号"),
    "name": _("名称"),
    "feedback": _("反馈"),
    "return_reason": _("退回原因"),
}


def _field_of(loc: Any) -> str:
    loc = tuple(loc or ())
    parts = [str(p) for p in loc if str(p) not in _SOURCES and not isinstance(p, int)]
    if parts:
        return parts[-1]
    # A parameter named like its source (`file.file`): the last part is its name.
    return str(loc[-1]) if len(loc) > 1 and loc[-1] != "body" else ""


def _problem(err: dict[str, Any]) -> str:
    """One validation error in the reader's language, by pydantic's error type."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return str(_("必须填写"))
    if kind in {"enum", "literal_error"}:
        return str(_("取值无效，可选：%(expected)s")) % {"expected": ctx.get("expected", "")}
    if kind.startswith(("int_", "float_", "decimal_")):
        return str(_("应为数字"))
    if kind.startswith(("date_", "datetime_")):
        return str(_("应为日期（YYYY-MM-DD）"))
    if kind.startswith("bool_"):
        return str(_("应为 true 或 false"))
    if kind in {"greater_than", "greater_than_equal"}:
        return str(_("不能小于 %(limit)s")) % {"limit": ctx.get("gt", ctx.get("ge", ""))}
    if kind in {"less_than", "less_than_equal"}:
        return str(_("不能大于 %(limit)s")) % {"limit": ctx.get("lt", ctx.get("le", ""))}
    if kind in {"string_too_long", "too_long"}:
        return str(_("过长"))
    if kind in {"string_too_short", "too_short"}:
        return str(_("过短"))
    if kind.startswith("string_") or kind == "list_type" or kind.endswith("_type"):
        return str(_("格式不正确"))
    if kind == "json_invalid":
        return str(_("请求内容不是有效的 JSON"))
    return str(_("取值无效"))


def _validation_message(exc: ValidationError) -> str:
    """`完成进度（completion）：应为数字；文件（file）：必须填写` — each field named in the
    reader's language with its key, never the `body.body.…` path of the request."""
    parts = []
    for err in exc.errors[:5]:
        field = _field_of(err.get("loc", ()))
        problem = _problem(err)
        if field:
            label = FIELD_LABELS.get(field)
            named = str(_("%(label)s（%(field)s）")) % {"label": label, "field": field}
            named = named if label else field
            parts.append(str(_("%(field)s：%(problem)s")) % {"field": named, "problem": problem})
        else:
            parts.append(problem)
    return str(_("；")).join(parts) or str(_("请求无效"))


def install_error_handlers(api: NinjaAPI) -> None:
    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else "authentication required"
        return error_response(401, message)

    def on_http(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(exc.status_code, exc.message)

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(404, "not found")

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(422, _validation_message(exc))

    def on_crash(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return error_response(500, "internal error")

    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Exception, on_crash)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/v1/ that names no endpoint."""
    return error_response(404, "no such endpoint")


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """django-ninja answers an unsupported method with an empty 405, and its root URL
    raises Http404 outside its own handlers; give both the error shape (keeping the Allow
    header)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, "no such endpoint")
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "")
            response = error_response(405, f"method {request.method} not allowed")
            if allow:
                response["Allow"] = allow
        return response

    return wrapped
