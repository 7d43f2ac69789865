"""The filter form of the audit log page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.audit.labels import action_label, target_type_label
from planwatch.audit.selectors import AuditFilters, audit_choices


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("操作"), required=False)
    target_type = forms.ChoiceField(label=_("对象类型"), required=False)
    target_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every: list[tuple[str, Any]] = [("", _("全部"))]
        action, target_type = self.fields["action"], self.fields["target_type"]
        assert isinstance(action, forms.ChoiceField) and isinstance(target_type, forms.ChoiceField)
        action.choices = every + [(a, action_label(a)) for a in audit_choices("action")]
        target_type.choices = every + [
            (t, target_type_label(t)) for t in audit_choices("target_type")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid form filters nothing it could not read)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            actor=data["actor"].strip(),
            action=data["action"],
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
