"""The web side of a service call, for every domain's views: run the service, and show its
refusal (a `ServiceError`, a `ValidationError`, a `PermissionDenied`) as an error message
instead of an error page; show the success message when it went through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from planwatch.core.workflow import ServiceError

REFUSALS = (ServiceError, ValidationError, PermissionDenied)


def refusal_message(request: HttpRequest, exc: Exception) -> None:
    """Show a service's refusal as an error message: a ValidationError's messages joined, or
    the exception's text — a bare `PermissionDenied` says the user may not do this."""
    if isinstance(exc, ValidationError):
        messages.error(request, _("；").join(exc.messages))
    else:
        messages.error(request, str(exc) or _("您无权执行此操作。"))


def run_service(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Call `action()`; on success show `done` and answer True, on a refusal show why and
    answer False (nothing else is caught: a bug still fails loudly)."""
    try:
        action()
    except REFUSALS as exc:
        refusal_message(request, exc)
        return False
    messages.success(request, done)
    return True
