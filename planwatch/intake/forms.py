"""Reading the confirmation forms: the checked rows with what the person chose or edited.
Every bad field is named in one ValidationError."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from planwatch.indicators.models import Indicator
from planwatch.intake.models import Intake
from planwatch.intake.services import ObservationRow, ProjectRow
from planwatch.orgunits.models import OrgUnit
from planwatch.projects.models import Project


def _number(raw: str | None, label: str, errors: list[str]) -> float | None:
    text = (raw or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors.append(_("%(l)s“%(v)s”不是数值") % {"l": label, "v": text})
        return None


def _checked(post: QueryDict, intake: Intake) -> list[int]:
    count = len(intake.proposal["items"])
    out = []
    for raw in post.getlist("row"):
        if raw.isdigit() and int(raw) < count:
            out.append(int(raw))
    return sorted(set(out))


def observation_confirmation(post: QueryDict, intake: Intake) -> dict[str, Any]:
    errors: list[str] = []
    place = OrgUnit.objects.filter(pk=post.get("place") or 0).first()
    if place is None:
        errors.append(_("请选择地区。"))
    year = post.get("year", "").strip()
    if not year.isdigit():
        errors.append(_("请填写年份。"))
    indicators = {i.pk: i for i in Indicator.objects.filter(plan=intake.plan)}
    rows = []
    items = intake.proposal["items"]
    for index in _checked(post, intake):
        label = items[index]["indicator_as_written"]
        raw_id = post.get(f"indicator_{index}", "")
        indicator = indicators.get(int(raw_id)) if raw_id.isdigit() else None
        if indicator is None:
            errors.append(_("“%(n)s”：请选择指标") % {"n": label})
            continue
        value = _number(post.get(f"value_{index}"), label, errors)
        if value is None:
            errors.append(_("“%(n)s”：请填写数值") % {"n": label})
            continue
        rows.append(ObservationRow(index, indicator, value))
    if errors:
        raise ValidationError(errors)
    assert place is not None
    return {
        "place": place,
        "year": int(year),
        "stage": post.get("stage", ""),
        "rows": rows,
    }


def project_confirmation(post: QueryDict, intake: Intake) -> tuple[int | None, list[ProjectRow]]:
    errors: list[str] = []
    raw_year = post.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() else None
    rows = []
    for index in _checked(post, intake):
        name = post.get(f"name_{index}", "").strip()
        total = _number(post.get(f"total_{index}"), _("总投资"), errors)
        annual = _number(post.get(f"annual_{index}"), _("年度计划投资"), errors)
        raw_existing = post.get(f"existing_{index}", "")
        existing = (
            Project.objects.filter(pk=int(raw_existing), plan=intake.plan).first()
            if raw_existing.isdigit()
            else None
        )
        if raw_existing.isdigit() and existing is None:
            errors.append(_("“%(n)s”：所选项目不存在") % {"n": name})
        rows.append(ProjectRow(index, name, total, annual, existing))
    if errors:
        raise ValidationError(errors)
    return year, rows
