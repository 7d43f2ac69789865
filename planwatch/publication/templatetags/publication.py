"""`{% publication_panel obj %}`: the publish / withdraw buttons of an object's page, for the
planners who may publish it (nothing for anyone else). The pages of lower apps (tasks,
indicators, projects) load this library by name in their templates — no Python import, so
the layers hold."""

from __future__ import annotations

from typing import Any

from django import template

from planwatch.publication import selectors, services
from planwatch.publication.kinds import kind_of

register = template.Library()


@register.inclusion_tag("publication/partials/_panel.html", takes_context=True)
def publication_panel(context: template.Context, subject: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = kind_of(subject) if subject is not None else None
    if kind is None or not services.can_publish(user, subject):
        return {"show": False}
    live = selectors.live_publication(subject)
    refusal = kind.refusal(subject)
    via_list = (
        kind.key == "task"
        and live is None
        and selectors.public_lists().filter(pk=subject.annual_list_id).exists()
    )
    return {
        "show": True,
        "kind": kind,
        "subject": subject,
        "live": live,
        "public": selectors.is_public(subject),
        "via_list": via_list,
        "refusal": refusal,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
