"""Unit pickers: each unit named with its parent (「市中区（乐山市）」, since 市中区 exists in
乐山 and 内江), rendered as a searchable picker (Tom Select, static/js/app.js) that keeps the
native <select> underneath, so the form still posts and works without script."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit

# Parents that add nothing to a unit's name: the province and the zones (groups of cities).
SILENT_PARENTS = (OrgUnitKind.PROVINCE, OrgUnitKind.ZONE)


def unit_label(unit: OrgUnit) -> str:
    """「市中区（乐山市）」: the name and, for a county or a body under a city, the parent."""
    parent = unit.parent
    if parent is None:
        return unit.name
    return _named(unit.name, parent.name, parent.kind)


def _named(name: str, parent_name: str | None, parent_kind: str | None) -> str:
    """unit_label from the unit's name and its parent's name and kind (None: no parent)."""
    if parent_kind is None or parent_kind in SILENT_PARENTS:
        return name
    return _("%(name)s（%(parent)s）") % {"name": name, "parent": parent_name}


def picker_attrs(multiple: bool) -> dict[str, Any]:
    """The attributes app.js reads to turn a <select> into a searchable unit picker."""
    return {
        "class": "unit-picker",
        "data-placeholder": _("输入单位名称搜索") if multiple else _("请选择单位"),
        "data-no-results": _("没有匹配的单位"),
        "data-remove": _("移除"),
    }


def _attr_value(value: Any) -> Any:
    """A value as Django's attrs.html writes it (`|stringformat:'s'`, escaped unless safe)."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs_html(attrs: dict[str, Any]) -> str:
    """Django's django/forms/widgets/attrs.html, in Python."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(" " + str(conditional_escape(name)))
        if value is not True:
            out.append(f'="{_attr_value(value)}"')
    return "".join(out)


class _OptionsInPython:
    """A <select> written in Python, byte for byte what Django's select.html and
    select_option.html write: a unit picker offers some 250 units, and one template include
    per option cost about 13 ms a picker (the task list's bulk form, issue 15 item 3).
    Groups (<optgroup>) and non-text labels, which the unit pickers never have, go through
    Django's templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)  # type: ignore[attr-defined]
        widget = context["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"']
        parts.append(_attrs_html(widget["attrs"]))
        parts.append(">")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                return cast(SafeString, super().render(name, value, attrs, renderer))  # type: ignore[misc]
            for option in options:
                label = option["label"]
                if not isinstance(label, str | Promise):  # numbers, dates: localized there
                    return cast(SafeString, super().render(name, value, attrs, renderer))  # type: ignore[misc]
                text = conditional_escape(cast(str, label))
                parts.append(
                    f'\n  <option value="{_attr_value(option["value"])}"'
                    f"{_attrs_html(option['attrs'])}>{text}</option>\n"
                )
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class UnitSelect(_OptionsInPython, forms.Select):
    pass


class UnitSelectMultiple(_OptionsInPython, forms.SelectMultiple):
    pass


class UnitChoiceIterator(forms.models.ModelChoiceIterator):  # type: ignore[type-arg]
    """Django's choices of a model field, read with one plain query of the four values a
    choice shows (the unit's id and name, its parent's name and kind). Django reads them
    through `QuerySet.iterator()`, a server-side cursor on PostgreSQL (DECLARE, FETCH,
    CLOSE), which for the task list's unit filter — units of the visible tasks — took 24 ms
    against 7 for the same query read at once; and it builds each unit and its parent as
    model instances, which for the task list's two pickers (some 250 units) cost more CPU
    than the rest of the pickers. A choice's value is the unit's id, as Django's; it carries
    no instance (`.instance` is None), which no unit picker reads."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        named = getattr(type(self.field).label_from_instance, "names_with_parent", False)
        if self.field.to_field_name is not None or not named:  # a subclass's own choices
            for obj in self.queryset.all():
                yield self.choice(obj)
            return
        rows = self.queryset.values_list("pk", "name", "parent__name", "parent__kind")
        for pk, name, parent_name, parent_kind in rows:
            yield (
                forms.models.ModelChoiceIteratorValue(pk, None),  # type: ignore[arg-type]
                _named(name, parent_name, parent_kind),
            )


def with_parents(queryset: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    return queryset.select_related("parent").order_by("path")


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One unit, searchable, named with its parent."""

    iterator = UnitChoiceIterator

    def __init__(self, queryset: QuerySet[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitSelect(attrs=picker_attrs(False)))
        kwargs.setdefault("empty_label", _("请选择单位"))
        super().__init__(queryset=with_parents(queryset), **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)

    label_from_instance.names_with_parent = True  # type: ignore[attr-defined]


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several units, searchable, named with their parents."""

    iterator = UnitChoiceIterator

    def __init__(self, queryset: QuerySet[OrgUnit], **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitSelectMultiple(attrs=picker_attrs(True)))
        super().__init__(queryset=with_parents(queryset), **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)

    label_from_instance.names_with_parent = True  # type: ignore[attr-defined]
