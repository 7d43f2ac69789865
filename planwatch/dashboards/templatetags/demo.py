"""`{% load demo %}` … `{% if task|is_demo %}<span class="demo-badge">演示数据</span>{% endif %}`:
for pages outside the dashboards that show one object which `planwatch demo` may have
created (one query per object: use it on detail pages; a list page passes
`DemoMarker.ids_among(rows)` as `demo_ids` and tests `{% if row.pk in demo_ids %}`). The
badge itself is `{% include "dashboards/partials/_demo_badge.html" %}`."""

from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role
from planwatch.core.models import DemoMarker

register = template.Library()


@register.filter
def is_demo(obj: object) -> bool:
    if not isinstance(obj, models.Model) or obj.pk is None:
        return False
    ct = ContentType.objects.get_for_model(type(obj))
    return DemoMarker.objects.filter(content_type=ct, object_id=obj.pk).exists()


@register.filter
def sees_dashboards(user: object) -> bool:
    """A planner or leader anywhere (the nav shows the 看板 link to them only)."""

    return has_role(user, Role.PLANNER) or has_role(user, Role.LEADER)
