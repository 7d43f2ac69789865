from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.plans.models import Plan
from planwatch.tasks.choices import ReportingFrequency


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
