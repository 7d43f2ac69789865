"""The forms of the survey pages: the planner's survey and question forms, and the public
answer form built from a survey's questions (radio groups render as fieldset + legend)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.surveys import models as m
from planwatch.surveys.choices import Level, QuestionKind
from planwatch.surveys.permissions import can_run
from planwatch.surveys.services import comment_max, prefecture_choices

HONEYPOT = "website"


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("问卷名称"), max_length=m.TITLE_MAX)
    scope = forms.ChoiceField(label=_("问卷对象"), help_text=_("一个规划、一个经济区或全省。"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(
        label=_("征集开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("征集截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("问卷说明"),
        required=False,
        max_length=m.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["scope"]
            return
        # only what the user may run a survey on (the service checks again)
        plans = [
            (f"plan:{p.pk}", str(_("规划：")) + p.title)
            for p in Plan.objects.select_related("org_unit").order_by("pk")
            if can_run(user, p.org_unit)
        ]
        zones = OrgUnit.objects.filter(kind__in=(OrgUnitKind.PROVINCE, OrgUnitKind.ZONE))
        units = [(f"unit:{u.pk}", u.name) for u in zones.order_by("path") if can_run(user, u)]
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = [("", "—"), *units, *plans]

    def scope_objects(self) -> tuple[Plan | None, OrgUnit | None]:
        kind, _sep, pk = str(self.cleaned_data.get("scope", "")).partition(":")
        if kind == "plan":
            return Plan.objects.filter(pk=pk).first(), None
        return None, OrgUnit.objects.filter(pk=pk).first() if pk.isdigit() else None


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("问题"), max_length=m.QUESTION_MAX)
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("单项选择题每行一个选项（2 到 10 个）。"),
    )
    required = forms.BooleanField(label=_("必答"), required=False)


class ResponseForm(forms.Form):
    """The public answer form. Lengths are checked here and again by the service."""

    rating = forms.TypedChoiceField(
        label=_("总体评价"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择总体评价。")},
    )

    def __init__(self, *args: Any, survey: m.Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].label = _("您对“%(t)s”的总体评价") % {"t": survey.title}
        for q in survey.questions.all():
            name = f"q{q.pk}"
            if q.kind == QuestionKind.FIVE_LEVEL:
                field: forms.Field = forms.ChoiceField(
                    choices=Level.choices, widget=forms.RadioSelect
                )
            elif q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in q.choices], widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(
                    max_length=comment_max(), widget=forms.Textarea(attrs={"rows": 3})
                )
            field.label, field.required = q.text, q.required
            self.fields[name] = field
        self.fields["comment"] = forms.CharField(
            label=_("意见建议（选填）"),
            required=False,
            max_length=comment_max(),
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": comment_max()}),
            help_text=_("不超过 %(n)s 字。请勿填写姓名、电话等个人信息。") % {"n": comment_max()},
        )
        self.fields["prefecture"] = forms.ChoiceField(
            label=_("您所在的地市州（选填）"),
            required=False,
            choices=[("", _("不填写")), *((u.code, u.name) for u in prefecture_choices())],
        )
        # a field people never see (hidden by the stylesheet, skipped by screen readers and
        # the tab key); robots that fill every field give themselves away
        self.fields[HONEYPOT] = forms.CharField(
            label=_("请勿填写此项"),
            required=False,
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "class": "survey-hp-input"}
            ),
        )

    def answers(self) -> dict[str, Any]:
        return {
            name[1:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and name[1:].isdigit()
        }
