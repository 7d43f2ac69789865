"""The audit log as a tool (decision record 0015): its filter form (AuditFilterForm, read by
the selector) under django-filter, its table under django-tables2, sorted, paged, exported."""

from __future__ import annotations

import json
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from planwatch.audit.forms import AuditFilterForm
from planwatch.audit.labels import action_label, target_type_label
from planwatch.audit.models import AuditEvent
from planwatch.audit.selectors import audit_event_list_for
from planwatch.core.listing import DayTimeColumn, TextCellsTable


class AuditFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The fields of AuditFilterForm; the selector applies them (dates are local whole days)."""

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filters = self.form.filters()
        return audit_event_list_for(viewer=self.request.user, filters=filters)


class AuditTable(TextCellsTable):
    created_at = DayTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i:s")
    actor_label = tables.Column(verbose_name=_("操作人"))
    action = tables.Column(verbose_name=_("操作"))
    target = tables.Column(accessor="target_type", verbose_name=_("对象"))
    changes = tables.Column(accessor="pk", verbose_name=_("修改内容"), orderable=False)

    class Meta(TextCellsTable.Meta):
        order_by = ("-created_at",)

    def render_action(self, value: str) -> str:
        return str(action_label(value))

    def render_target(self, record: AuditEvent) -> str:
        text = str(target_type_label(record.target_type))
        if record.target_id:
            text += f" #{record.target_id}"
        if record.target_label:
            text += f" · {record.target_label}"
        return text

    def render_changes(self, record: AuditEvent) -> str:
        if record.old is None and record.new is None:
            return ""
        return render_to_string("audit/partials/_changes.html", {"event": record})

    def value_changes(self, record: AuditEvent) -> str:
        parts = {"old": record.old, "new": record.new}
        return json.dumps({k: v for k, v in parts.items() if v is not None}, ensure_ascii=False)

    def order_created_at(self, queryset: QuerySet[Any], is_descending: bool) -> Any:
        return queryset.order_by("-id" if is_descending else "id"), True
