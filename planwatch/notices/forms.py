from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.notices.choices import ConfirmMode, UnitGroup
from planwatch.orgunits.forms import UnitChoiceField
from planwatch.plans.models import Plan
from planwatch.tasks.forms import assignable_units


class UploadForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("规划"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    file = forms.FileField(label=_("任务分解通知（文本、DOCX、PDF 或 HTML）"))

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class MapForm(forms.Form):
    name = forms.CharField(max_length=64, widget=forms.HiddenInput)
    org_unit = UnitChoiceField(
        queryset=assignable_units(), required=False, label=_("对应的组织单位")
    )
    group = forms.ChoiceField(
        choices=[("", "—"), *UnitGroup.choices], required=False, label=_("或单位组")
    )


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        choices=ConfirmMode.choices,
        initial=ConfirmMode.NEW,
        widget=forms.RadioSelect,
        label=_("确认方式"),
    )
