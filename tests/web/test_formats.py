"""Dates in each language of the interface (FORMAT_MODULE_PATH, planwatch/formats)."""

from __future__ import annotations

from datetime import date, datetime

from django.template import Context, Template
from django.utils import translation


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_english_dates_are_british_and_chinese_dates_are_chinese() -> None:
    day, moment = date(2026, 11, 29), datetime(2026, 11, 29, 9, 5)
    with translation.override("en"):
        assert _render("{{ d|date }}", d=day) == "29 Nov 2026"
        assert _render("{{ m|date:'DATETIME_FORMAT' }}", m=moment) == "29 Nov 2026, 09:05"
        assert _render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "29/11/2026"
    with translation.override("zh-hans"):
        assert _render("{{ d|date }}", d=day) == "2026年11月29日"
