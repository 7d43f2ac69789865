"""The search form: what was typed and the filters, all optional and never invalid in a way
that stops a search (an unknown filter value is simply dropped)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind
from planwatch.search.selectors import plans_visible_to

PLACE_KINDS = [OrgUnitKind.ZONE, OrgUnitKind.PREFECTURE, OrgUnitKind.COUNTY]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=1000, strip=True)
    plan = forms.TypedChoiceField(label=_("规划"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    place = forms.ChoiceField(label=_("地区"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans = plans_visible_to(viewer).values_list("pk", "title")
        self.fields["plan"].choices = [("", _("全部规划")), *plans]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("全部类型")), *NodeKind.choices]  # type: ignore[attr-defined]
        units = OrgUnit.objects.filter(kind__in=PLACE_KINDS, is_active=True).order_by("path")
        self.fields["place"].choices = [  # type: ignore[attr-defined]
            ("", _("全部地区")),
            *((u.code, ("　" if u.kind == OrgUnitKind.COUNTY else "") + u.name) for u in units),
        ]

    def value(self, name: str) -> Any:
        """The cleaned value of a field, or None when it was missing or not valid."""
        if not self.is_bound:
            return None
        self.is_valid()
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)
