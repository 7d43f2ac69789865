"""Forms of the indicator pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.indicators.choices import BenchmarkScope, Stage
from planwatch.indicators.models import Indicator


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "attribute",
            "direction",
            "kind",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "comparator",
            "frequency",
            "additive",
        ]


class ObservationForm(forms.Form):
    place = forms.IntegerField(label=_("地区"), widget=forms.Select)
    year = forms.IntegerField(label=_("年份"), min_value=1949, max_value=2100)
    value = forms.FloatField(label=_("数值"))
    stage = forms.ChoiceField(label=_("核算阶段"), choices=Stage.choices)
    source = forms.CharField(label=_("来源文件"), max_length=255, required=False)
    source_page = forms.IntegerField(label=_("页码"), min_value=1, required=False)
    source_url = forms.URLField(label=_("来源网址"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("数据文件（xlsx 或 CSV）"))
    plan = forms.IntegerField(label=_("规划"), widget=forms.Select)
    year = forms.IntegerField(label=_("年份（地区横排时填写）"), required=False)
    place = forms.IntegerField(
        label=_("地区（年份横排时选择）"), required=False, widget=forms.Select
    )
    stage = forms.ChoiceField(label=_("核算阶段"), choices=Stage.choices)
    source = forms.CharField(label=_("来源文件"), max_length=255, required=False)
    source_page = forms.IntegerField(label=_("页码"), min_value=1, required=False)
    source_url = forms.URLField(label=_("来源网址"), max_length=500, required=False)


class SplitForm(forms.Form):
    place = forms.IntegerField(label=_("地区"))
    value = forms.FloatField(label=_("分解目标"))
    baseline_value = forms.FloatField(label=_("基期值"), required=False)
    weight = forms.FloatField(label=_("权重"), required=False, min_value=0)


class BenchmarkForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=1949, max_value=2100)
    scope = forms.ChoiceField(label=_("对比范围"), choices=BenchmarkScope.choices)
    value = forms.FloatField(label=_("基准值"))
    source = forms.CharField(label=_("来源文件"), max_length=255)
    source_url = forms.URLField(label=_("来源网址"), max_length=500, required=False)
