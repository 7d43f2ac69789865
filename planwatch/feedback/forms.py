"""The forms of messages. The rules themselves are the services' (planwatch/feedback/
services.py); these forms give the fields, their labels and the browser's own limits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from planwatch.feedback.choices import MessageKind, Rating, RejectReason
from planwatch.feedback.models import BODY_MAX, TITLE_MAX

# The honeypot: a field people never see (hidden by CSS, skipped by keyboard and screen
# readers) and bots fill in.
HONEYPOT = "website"


class MessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("留言类别"), choices=MessageKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("标题"), max_length=TITLE_MAX, min_length=2, help_text=_("最多60字。")
    )
    body = forms.CharField(
        label=pgettext_lazy("feedback", "内容"),
        max_length=BODY_MAX,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("最多1000字。请勿填写他人的个人信息。"),
    )
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "email"}),
        help_text=_("手机号、固定电话或电子邮箱，仅供办理单位联系您，不会公开。"),
    )
    website = forms.CharField(
        label=_("网址（请留空）"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对答复是否满意？"), choices=Rating.choices, widget=forms.RadioSelect
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=pgettext_lazy("feedback", "不通过原因"), choices=RejectReason.choices
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class FollowUpForm(forms.Form):
    caller = forms.CharField(label=_("回访人"), max_length=64)
    called_at = forms.DateTimeField(
        label=_("回访时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    summary = forms.CharField(label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("回访结果"), max_length=255)
