from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.reports.choices import ProgressStatus


class ReportForm(forms.Form):
    """The reporter's form; `version` is the report version it was opened at, so a save
    over someone else's newer edit is refused rather than silently overwriting it."""

    completion = forms.DecimalField(
        label=_("完成进度（%）"), min_value=0, max_value=100, decimal_places=1, required=False
    )
    progress_status = forms.ChoiceField(label=_("进展状态"), choices=ProgressStatus.choices)
    narrative = forms.CharField(
        label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
