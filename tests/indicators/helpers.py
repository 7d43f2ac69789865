"""Shared steps of the indicator tests: draft and confirm 川南's GDP indicator, write a
statistics-office table as CSV or xlsx bytes."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from openpyxl import Workbook

from planwatch.indicators.models import Indicator
from planwatch.indicators.services import (
    indicator_confirm,
    indicator_drafts_generate,
    indicator_merge,
    indicator_update,
)
from planwatch.plans.models import Plan


def south_gdp(plan: Plan, planner: User, *, binding: bool = False) -> Indicator:
    """地区生产总值 of 川南 drafted, 经济总量 merged into it, confirmed."""
    indicator_drafts_generate(plan=plan, actor=planner)
    gdp = Indicator.objects.get(plan=plan, name="地区生产总值")
    total = Indicator.objects.get(plan=plan, name="经济总量")
    indicator_merge(keep=gdp, duplicate=total, actor=planner)
    if binding:
        indicator_update(indicator=gdp, actor=planner, changes={"attribute": "binding"})
    return indicator_confirm(indicator=gdp, actor=planner)


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: Sequence[Sequence[Any]], title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
