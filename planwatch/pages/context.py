"""Context of every page (a context processor in settings.TEMPLATES): the number of unread
notifications for the badge in the header, computed only when a page shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from planwatch.pages.workbench import unread_notifications


def header(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: len(unread_notifications(user)))}
