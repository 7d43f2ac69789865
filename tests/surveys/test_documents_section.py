"""The annual report's 公众评价 section reads the surveys: responses counted, satisfaction
rate, the prefectures with at least five responses, each figure registered with its source;
fewer than five responses and no rate is printed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from docx import Document as open_docx

from planwatch.documents import services as documents
from planwatch.surveys import services
from planwatch.surveys.models import Response, Survey
from planwatch.tasks.models import AnnualList

pytestmark = pytest.mark.django_db


def add(survey: Survey, ratings: list[int], code: str) -> None:
    unit = next(u for u in services.prefecture_choices() if u.code == code)
    now = timezone.now()
    Response.objects.bulk_create(
        Response(survey=survey, rating=r, prefecture=unit, submitted_at=now) for r in ratings
    )


def section(doc: Any) -> list[str]:
    paras = [p.text for p in doc.paragraphs]
    start = paras.index("六、公众评价")
    return paras[start + 1 : paras.index("七、存在问题")]


def build(user: User, plan: Any) -> Any:
    d = documents.document_build(kind="annual", actor=user, year=2024, plan=plan)
    return d, open_docx(io.BytesIO(documents.document_bytes(d)))


def test_public_section_from_the_surveys(
    issued: AnnualList, open_survey: Survey, chuannan_planner_user: User
) -> None:
    add(open_survey, [1, 2, 3, 4, 2, 1], "511500")  # 宜宾: 5 of 6
    add(open_survey, [5, 5], "510500")  # 泸州: 2, not shown alone
    d, doc = build(chuannan_planner_user, open_survey.plan)
    text = "".join(section(doc))
    assert "收回答卷8份，满意率62.5%" in text
    assert "宜宾市83.3%（6份）" in text and "泸州市" not in text
    figures = {f["label"]: f for f in d.snapshot["figures"]}
    assert figures["公众满意度"]["value"] == pytest.approx(5 / 8)
    assert figures["公众满意度"]["records"] == {"surveys.survey": [open_survey.pk]}


def test_few_responses_print_no_rate(
    issued: AnnualList, open_survey: Survey, chuannan_planner_user: User
) -> None:
    add(open_survey, [1, 5], "511500")
    _d, doc = build(chuannan_planner_user, open_survey.plan)
    text = "".join(section(doc))
    assert "收回答卷2份，不足5份，不公布满意率" in text and "%" not in text
