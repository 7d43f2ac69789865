"""Results from stored responses: the satisfaction rate exactly, the distribution, groups of
fewer than five shown as 样本不足 (with the complementary group hidden too), the selector
other apps read, and the assessment's 公众满意度 item."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from planwatch.assessment import results as assessment
from planwatch.assessment import schemes
from planwatch.assessment.models import Series
from planwatch.publication.services import publish
from planwatch.surveys import selectors, services
from planwatch.surveys.models import Response, Survey
from tests.factories import implementation as f

pytestmark = pytest.mark.django_db


def add(
    survey: Survey, ratings: list[int], prefecture: str = "", when: dt.datetime | None = None
) -> None:
    """Responses stored directly (the limits are tested elsewhere)."""
    unit = next((u for u in services.prefecture_choices() if u.code == prefecture), None)
    at = when or timezone.now()
    Response.objects.bulk_create(
        Response(survey=survey, rating=r, prefecture=unit, submitted_at=at) for r in ratings
    )


def test_rate_and_distribution_exactly(open_survey: Survey) -> None:
    add(open_survey, [1, 1, 2, 3, 3, 3, 4], "511500")
    add(open_survey, [5, 5, 2, 1, 4, 2], "510500")
    add(open_survey, [2], "")
    res = selectors.survey_results(open_survey)
    all_ratings = [1, 1, 2, 3, 3, 3, 4, 5, 5, 2, 1, 4, 2, 2]
    good = sum(1 for r in all_ratings if r <= 3)
    assert res.overall.n == 14 and not res.overall.suppressed
    assert Fraction(res.overall.satisfied, res.overall.n) == Fraction(good, 14)
    assert res.overall.rate == pytest.approx(10 / 14)
    assert [(lv.label, lv.count) for lv in res.overall.levels] == [
        ("非常满意", 3), ("满意", 4), ("基本满意", 3), ("不满意", 2), ("非常不满意", 2)
    ]  # fmt: skip
    assert sum(lv.share for lv in res.overall.levels) == pytest.approx(1)
    by = {g.label: g for g in res.prefectures}
    assert by["宜宾市"].rate == pytest.approx(6 / 7) and by["泸州市"].rate == pytest.approx(3 / 6)
    # 未填写 (1 response) is hidden, and with it the smallest shown group (泸州, 6): otherwise
    # 未填写 = total − 宜宾 − 泸州
    assert by["未填写地市州"].suppressed and by["泸州市"].suppressed
    assert not by["宜宾市"].suppressed
    # the suppressed groups are not even named on the public side
    assert [g.label for g in res.shown_prefectures] == ["宜宾市"] and res.prefectures_hidden
    assert selectors.satisfaction(open_survey.plan, 2024) == (pytest.approx(10 / 14), 14)


def test_small_surveys_show_nothing(
    open_survey: Survey, chuannan_planner_user: User, client: Client
) -> None:
    add(open_survey, [1, 5, 5, 2], "511500")
    res = selectors.survey_results(open_survey)
    assert res.overall.suppressed and all(g.suppressed for g in res.prefectures)
    publish(actor=chuannan_planner_user, subject=open_survey)
    page = client.get(f"/gongkai/wenjuan/{open_survey.pk}/jieguo/").content.decode()
    assert "样本不足" in page and "25.0%" not in page and "非常不满意</th>" not in page


def test_satisfaction_selector_scopes(
    open_survey: Survey, units: f.Units, chuannan_planner_user: User, planner_user: User
) -> None:
    zone_survey = services.survey_create(
        actor=chuannan_planner_user, title="川南", year=2024, org_unit=units.chuannan
    )
    services.survey_open(actor=chuannan_planner_user, survey=zone_survey)
    province = services.survey_create(
        actor=planner_user, title="全省", year=2025, org_unit=units.province
    )
    services.survey_open(actor=planner_user, survey=province)
    add(open_survey, [1, 4], "511500")
    add(zone_survey, [2, 2, 5], "510500")
    add(province, [1], "511500")
    assert selectors.satisfaction(open_survey.plan, 2024) == (0.5, 2)
    assert selectors.satisfaction(units.chuannan, 2024) == (pytest.approx(3 / 5), 5)
    assert selectors.satisfaction(units.chuannan, 2024, units.luzhou) == (pytest.approx(2 / 3), 3)
    assert selectors.satisfaction(units.province, 2025) == (1.0, 1)
    assert selectors.satisfaction(units.province, 2023) == (None, 0)


def test_assessment_scores_satisfaction(
    open_survey: Survey, units: f.Units, planner_user: User
) -> None:
    s = schemes.scheme_copy(
        source=schemes.default_scheme(Series.PREFECTURES), year=2024, actor=planner_user
    )
    s = schemes.scheme_freeze(scheme=s, actor=planner_user)
    # 宜宾: 3 of 4 satisfied; one more after the as-of date does not count
    add(open_survey, [1, 2, 3, 5], "511500", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    add(open_survey, [5], "511500", dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    ed = assessment.result_compute(
        scheme=s, actor=planner_user, zone=units.chuannan, as_of=dt.date(2024, 12, 31)
    )
    scores = {sc.unit_id: sc for sc in ed.scores.all()}
    yb = scores[units.yibin.pk].items.get(code="satisfaction")
    assert yb.points == pytest.approx(5 * 0.75)
    line = yb.lines.get()
    assert line.kind == "ratio" and "75.0%" in line.label and "3 / 4" in line.label
    assert line.ref == "surveys:2024:511500" and line.url == "/gongkai/wenjuan/"
    # 泸州 has no response: when_nothing "full" (the default) → 5, one line saying why
    lz = scores[units.luzhou.pk].items.get(code="satisfaction")
    assert lz.points == 5
    assert [(ln.kind, ln.label) for ln in lz.lines.all()] == [
        ("nothing", "本年度无该地的问卷答卷，按满分计")
    ]
    assert sum(i.points for i in scores[units.yibin.pk].items.all()) == pytest.approx(
        scores[units.yibin.pk].total
    )


def test_assessment_when_nothing_zero(
    open_survey: Survey, units: f.Units, planner_user: User
) -> None:
    s = schemes.scheme_copy(
        source=schemes.default_scheme(Series.PREFECTURES), year=2024, actor=planner_user
    )
    sat = s.items.get(code="satisfaction")
    schemes.scheme_item_update(
        item=sat, actor=planner_user, points=5, params={"when_nothing": "zero"}
    )
    s = schemes.scheme_freeze(scheme=s, actor=planner_user)
    add(open_survey, [4, 4], "511500", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    ed = assessment.result_compute(
        scheme=s, actor=planner_user, zone=units.chuannan, as_of=dt.date(2024, 12, 31)
    )
    scores = {sc.unit_id: sc for sc in ed.scores.all()}
    assert scores[units.yibin.pk].items.get(code="satisfaction").points == 0  # rate 0
    lz = scores[units.luzhou.pk].items.get(code="satisfaction")
    assert lz.points == 0 and lz.lines.get().kind == "nothing"


def test_assessment_min_responses(open_survey: Survey, units: f.Units, planner_user: User) -> None:
    s = schemes.scheme_copy(
        source=schemes.default_scheme(Series.PREFECTURES), year=2024, actor=planner_user
    )
    sat = s.items.get(code="satisfaction")
    assert sat.params["min_responses"] == 1.0  # the default: any response counts
    schemes.scheme_item_update(item=sat, actor=planner_user, points=5, params={"min_responses": 5})
    s = schemes.scheme_freeze(scheme=s, actor=planner_user)
    add(open_survey, [5, 5, 5, 5], "511500", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    add(open_survey, [1, 1, 1, 1, 5], "510500", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    ed = assessment.result_compute(
        scheme=s, actor=planner_user, zone=units.chuannan, as_of=dt.date(2024, 12, 31)
    )
    scores = {sc.unit_id: sc for sc in ed.scores.all()}
    yb = scores[units.yibin.pk].items.get(code="satisfaction")  # 4 < 5: nothing to assess
    assert yb.points == 5
    assert [(ln.kind, ln.label) for ln in yb.lines.all()] == [
        ("nothing", "该地问卷答卷 4 份，少于 5 份，按满分计")
    ]
    lz = scores[units.luzhou.pk].items.get(code="satisfaction")
    assert lz.points == pytest.approx(5 * 0.8)
