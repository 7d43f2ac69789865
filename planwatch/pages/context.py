"""Context of every page (a context processor in settings.TEMPLATES): the number of unread
notifications for the badge in the header, and `nav_can` — which of the pages every signed-in
person's menus and pages link to this person may open, so that no link leads to a 页面不存在
(issue 9). Each is computed only when a page uses it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.pages.workbench import unread_notifications
from planwatch.plans.models import Plan
from planwatch.tasks.permissions import plans_managed_q
from planwatch.tasks.selectors import has_annual_lists


class NavCan:
    """`nav_can.review`, `.health`, `.lists`: may this person open the review queue, the
    reporting health table, the index of annual lists? Each answered once, when asked."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._cache: dict[str, bool] = {}

    def _once(self, key: str, answer: Any) -> bool:
        if key not in self._cache:
            self._cache[key] = bool(answer())
        return self._cache[key]

    @property
    def review(self) -> bool:
        u = self.user
        return self._once(
            "review", lambda: has_role(u, Role.UNIT_REVIEWER) or has_role(u, Role.PLANNER)
        )

    @property
    def health(self) -> bool:
        u = self.user
        return self._once("health", lambda: has_role(u, Role.PLANNER) or has_role(u, Role.LEADER))

    @property
    def lists(self) -> bool:
        u = self.user
        return self._once(
            "lists",
            lambda: Plan.objects.filter(plans_managed_q(u)).exists() or has_annual_lists(user=u),
        )


def header(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": SimpleLazyObject(lambda: len(unread_notifications(user))),
        "nav_can": NavCan(user),
    }
