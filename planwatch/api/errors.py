"""The one error shape of the API, `{"error": {"code", "message"}}`, for every 4xx and 5xx:
raised errors, failed validation, unknown paths and methods, and crashes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in {"query", "path"})
        parts.append(f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


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
