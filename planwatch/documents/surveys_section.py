"""The 公众评价 section's data: the year's satisfaction surveys (问卷) on the plan, read through
the surveys app's selectors (`surveys.selectors.satisfaction`, the share of 非常满意, 满意 and
基本满意). A document may be published, so it follows the public rule of the surveys: fewer
than `MIN_GROUP` responses — overall or from one prefecture — and no rate is printed."""

from __future__ import annotations

from typing import Any

from planwatch.documents.figures import Figures, pct
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.surveys import selectors


def summary(*, plan: Any, zone: Any, year: int) -> dict[str, Any] | None:
    """Survey results of `plan` in `year`, or None when there are none to report."""
    rate, n = selectors.satisfaction(plan, year)
    if not n:
        return None
    prefectures = []
    if zone is not None:
        for unit in OrgUnit.objects.filter(
            kind=OrgUnitKind.PREFECTURE, path__startswith=zone.path
        ).order_by("sort_order", "path"):
            p_rate, p_n = selectors.satisfaction(plan, year, unit)
            if p_n >= selectors.MIN_GROUP:
                prefectures.append((unit.name, p_rate, p_n))
    return {
        "rate": rate,
        "n": n,
        "surveys": list(selectors.surveys_on(plan, year).values_list("pk", flat=True)),
        "prefectures": prefectures,
    }


def paragraphs(data: dict[str, Any], figures: Figures) -> list[str]:
    records = {"surveys.survey": data["surveys"]}
    query = "surveys.selectors.satisfaction(plan, year)"
    n = figures.add("公众满意度问卷答卷数", data["n"], query=query, records=records)
    if data["n"] < selectors.MIN_GROUP:
        return [
            f"本年度开展公众满意度问卷调查，收回答卷{n}份，"
            f"不足{selectors.MIN_GROUP}份，不公布满意率。"
        ]
    shown = figures.add(
        "公众满意度", data["rate"], query=query, records=records, shown=pct(data["rate"])
    )
    text = [
        f"本年度开展公众满意度问卷调查，收回答卷{n}份，满意率{shown}"
        "（“非常满意”“满意”“基本满意”的答卷占比）。"
    ]
    parts = []
    for name, rate, count in data["prefectures"]:
        q = f"surveys.selectors.satisfaction(plan, year, prefecture={name})"
        r = figures.add(f"{name}公众满意度", rate, query=q, records=records, shown=pct(rate))
        parts.append(f"{name}{r}（{count}份）")
    if parts:
        least = selectors.MIN_GROUP
        text.append(f"分地市州看：{'，'.join(parts)}。答卷少于{least}份的地市州不单列。")
    return text
