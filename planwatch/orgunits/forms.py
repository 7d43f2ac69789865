"""Unit pickers: each unit named with its parent (「市中区（乐山市）」, since 市中区 exists in
乐山 and 内江), rendered as a searchable picker (Tom Select, static/js/app.js) that keeps the
native <select> underneath, so the form still posts and works without script."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit

# Parents that add nothing to a unit's name: the province and the zones (groups of cities).
SILENT_PARENTS = (OrgUnitKind.PROVINCE, OrgUnitKind.ZONE)


def unit_label(unit: OrgUnit) -> str:
    """「市中区（乐山市）」: the name and, for a county or a body under a city, the parent."""
    parent = unit.parent
    if parent is None or parent.kind in SILENT_PARENTS:
        return unit.name
    return _("%(name)s（%(parent)s）") % {"name": unit.name, "parent": parent.name}


def picker_attrs(multiple: bool) -> dict[str, Any]:
    """The attributes app.js reads to turn a <select> into a searchable unit picker."""
    return {
        "class": "unit-picker",
        "data-placeholder": _("输入单位名称搜索") if multiple else _("请选择单位"),
        "data-no-results": _("没有匹配的单位"),
        "data-remove": _("移除"),
    }


def with_parents(queryset: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    return queryset.select_related("parent").order_by("path")


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One unit, searchable, named with its parent."""

    def __init__(self, queryset: QuerySet[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Select(attrs=picker_attrs(False)))
        kwargs.setdefault("empty_label", _("请选择单位"))
        super().__init__(queryset=with_parents(queryset), **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several units, searchable, named with their parents."""

    def __init__(self, queryset: QuerySet[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.SelectMultiple(attrs=picker_attrs(True)))
        super().__init__(queryset=with_parents(queryset), **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)
