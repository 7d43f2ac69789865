from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.forms import UnitChoiceField, UnitMultipleChoiceField
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.choices import OngoingDeadline, ReportingFrequency
from planwatch.tasks.xlsx import parse_date


class GenerateForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("规划"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("年度"))

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("xlsx 文件"))


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=ReportingFrequency.choices, label=_("报送频次"))


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def assignable_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(is_active=True).exclude(
        kind__in=(OrgUnitKind.ZONE, OrgUnitKind.PROVINCE)
    )


class TaskForm(forms.Form):
    """The planner's task form; `version` is the task version it was opened at."""

    title = forms.CharField(label=_("重点任务"), max_length=255)
    content = forms.CharField(
        label=_("具体内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_unit = UnitChoiceField(queryset=assignable_units(), label=_("牵头单位"), required=False)
    co_lead_units = UnitMultipleChoiceField(
        queryset=assignable_units(), label=_("共同牵头单位"), required=False
    )
    responsible_units = UnitMultipleChoiceField(
        queryset=assignable_units(), label=_("责任单位"), required=False
    )
    supporting_units = UnitMultipleChoiceField(
        queryset=assignable_units(), label=_("配合单位"), required=False
    )
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE_WIDGET)
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DATE_WIDGET)
    deadline_text = forms.ChoiceField(
        label=_("或持续性时限"),
        choices=[("", _("（按日期）")), *OngoingDeadline.choices],
        required=False,
        help_text=_("长期坚持或持续推进的任务不设日期，按报送期督办。"),
    )
    criterion = forms.CharField(
        label=_("完成标准"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=6, decimal_places=2)
    milestones = forms.CharField(
        label=_("里程碑"),
        required=False,
        help_text=_("每行一个：日期 节点目标，如 2024-06-30 完成可研批复"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("deadline_text") and data.get("deadline"):
            self.add_error("deadline_text", _("已填写完成日期时，不能再选择持续性时限。"))
        return data

    def clean_milestones(self) -> list[tuple[str, date]]:
        result: list[tuple[str, date]] = []
        for n, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            if not line.strip():
                continue
            day, _sep, title = line.strip().partition(" ")
            try:
                due = parse_date(day)
            except ValueError:
                raise forms.ValidationError(
                    _("第 %(n)d 行：无法识别的日期“%(d)s”") % {"n": n, "d": day}
                ) from None
            if not title.strip():
                raise forms.ValidationError(_("第 %(n)d 行：缺少节点目标") % {"n": n})
            result.append((title.strip(), due))
        return result
