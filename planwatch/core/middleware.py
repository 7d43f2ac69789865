"""Request middleware of the whole site."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import DataError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese (LANGUAGE_CODE) unless the visitor chose another language with the switch
    (the language cookie): the browser's Accept-Language is not consulted, so an English
    browser still sees the Chinese interface first, as the plans' users expect."""

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


# The largest id a database column holds (signed 64-bit, BigAutoField).
ID_MAX = 2**63 - 1
# Query parameters that are free text (a search for a 20-digit number is a search).
TEXT_PARAMETERS = frozenset({"q"})
_INTEGER = re.compile(r"[+-]?\d+")


def out_of_range(value: object) -> bool:
    """Whether `value` (an int, or text of comma-separated integers) holds an integer no
    database id column can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -ID_MAX - 1 <= value <= ID_MAX
    if not isinstance(value, str):
        return False
    for part in value.split(","):
        part = part.strip()
        if len(part) > 18 and _INTEGER.fullmatch(part) and not -ID_MAX - 1 <= int(part) <= ID_MAX:
            return True
    return False


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API's own shape and statuses: a parameter it cannot accept is 422, as when its
        # validation refuses one (the OpenAPI document declares 422, not 400).
        status = 422 if status == 400 else status
        code = {404: "not_found", 422: "invalid_request"}.get(status, "bad_request")
        body = {"error": {"code": code, "message": message}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    cls = HttpResponseNotFound if status == 404 else HttpResponseBadRequest
    return cls(message, content_type="text/plain; charset=utf-8")


class IdsAtTheEdgeMiddleware:
    """Integers beyond 64 bits never reach a query (issue 9 item 14): a query parameter
    holding one answers 400 (422 in the API, as its validation does), a path holding one 404
    (no object has that id), before any view runs. Forms that read ids from a POST body are
    caught by the last line: an overflow raised while a view runs answers 400, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if name in TEXT_PARAMETERS:
                continue
            if any(out_of_range(v) for v in values):
                return _refuse(
                    request, 400, str(_("参数“%(name)s”不是有效的编号。") % {"name": name})
                )
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if any(out_of_range(v) for v in (*view_args, *view_kwargs.values())):
            return _refuse(request, 404, str(_("页面不存在。")))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError) or (
            isinstance(exception, DataError) and "out of range" in str(exception)
        ):
            return _refuse(request, 400, str(_("请求中的编号超出范围。")))
        return None
