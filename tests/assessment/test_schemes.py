"""绩效考核 schemes: the default scheme shipped from methods.md §3, copied for 2024 as a draft,
edited, frozen (points must add up to 100), then unchangeable; only the province's planners
write schemes; drafts are theirs, frozen schemes are read by every signed-in user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from planwatch.assessment import schemes
from planwatch.assessment.models import AssessmentScheme, SchemeStatus, Series
from planwatch.audit.models import AuditEvent
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


def test_the_default_scheme_is_methods_md(planner_user: User) -> None:
    d = schemes.default_scheme(Series.PREFECTURES)
    assert d.is_default and d.is_frozen and d.year is None
    items = {i.code: i for i in d.items.all()}
    assert sum(i.points for i in items.values()) == 100
    assert items["tasks"].params == {"late_factor": 0.8, "when_nothing": "full"}
    # an item with nothing to assess earns its points (未承担该项工作的，该项按满分计)
    assert items["indicators"].params == {"when_nothing": "full"}
    assert items["satisfaction"].params == {"min_responses": 1.0, "when_nothing": "full"}
    # major projects: 完成率 against 时间进度, −2 per project not past half in June (双过半)
    assert items["projects"].params == {"per_below_half": 2.0, "when_nothing": "full"}
    assert items["red_cases"].params == {"per_case": 2.0}
    assert items["reporting"].params == {"per_missing": 10.0, "per_empty": 5.0}
    assert {"bonus", "deduction", "veto"} <= set(items)
    assert d.grades == [["excellent", 90.0], ["good", 80.0], ["fair", 60.0]] and d.bonus_cap == 5
    assert schemes.default_scheme(Series.PREFECTURES) == d  # created once


def test_copy_edit_freeze(planner_user: User) -> None:
    d = schemes.default_scheme(Series.PREFECTURES)
    s = schemes.scheme_copy(source=d, year=2024, actor=planner_user)
    assert (s.year, s.status, s.copied_from) == (2024, SchemeStatus.DRAFT, d)
    assert s.title == "2024 年度市州绩效考核方案"
    assert [i.code for i in s.items.all()] == [i.code for i in d.items.all()]
    tasks = s.items.get(code="tasks")
    schemes.scheme_item_update(
        item=tasks, actor=planner_user, points=45, params={"late_factor": 0.7}
    )
    with pytest.raises(ValidationError, match="105"):  # 45 + 15 + 15 + 15 + 10 + 5
        schemes.scheme_freeze(scheme=s, actor=planner_user)
    sat = s.items.get(code="satisfaction")
    schemes.scheme_item_update(
        item=sat, actor=planner_user, points=0, params={"when_nothing": "zero"}
    )
    sat.refresh_from_db()
    assert sat.params == {"min_responses": 1.0, "when_nothing": "zero"}
    tasks.refresh_from_db()  # a partial update keeps the other parameters
    assert tasks.params == {"late_factor": 0.7, "when_nothing": "full"}
    schemes.scheme_freeze(scheme=s, actor=planner_user)
    s.refresh_from_db()
    assert s.is_frozen and s.frozen_by == planner_user
    with pytest.raises(ValidationError):
        schemes.scheme_item_update(item=tasks, actor=planner_user, points=40)
    # The default template is untouched.
    assert d.items.get(code="tasks").points == 40 and d.items.get(code="tasks").params == {
        "late_factor": 0.8,
        "when_nothing": "full",
    }
    with pytest.raises(ValidationError):
        schemes.scheme_item_update(item=d.items.get(code="tasks"), actor=planner_user, points=1)


def test_bad_values_and_other_planners_are_refused(
    planner_user: User, chuannan_planner_user: User
) -> None:
    d = schemes.default_scheme(Series.DEPARTMENTS)
    with pytest.raises(PermissionDenied):
        schemes.scheme_copy(source=d, year=2024, actor=chuannan_planner_user)
    s = schemes.scheme_copy(source=d, year=2024, actor=planner_user)
    before = AuditEvent.objects.count()
    tasks = s.items.get(code="tasks")
    for points, params in (
        (-1, None),
        (101, None),
        (40, {"late_factor": 200}),
        (40, {"x": 1}),
        (40, {"when_nothing": "half"}),
        (40, {"late_factor": "abc"}),
    ):
        with pytest.raises(ValidationError):
            schemes.scheme_item_update(item=tasks, actor=planner_user, points=points, params=params)
    with pytest.raises(ValidationError):
        schemes.scheme_copy(source=d, year=1900, actor=planner_user)
    assert AuditEvent.objects.count() == before
    tasks.refresh_from_db()
    assert tasks.points == 40


def test_the_pages(planner_user: User, chuannan_planner_user: User) -> None:
    assert "/accounts/login" in Client().get(reverse("assessment:schemes"))["Location"]
    planner = logged_in(planner_user)
    html = planner.get(reverse("assessment:schemes")).content.decode()
    assert "默认考核方案（市州）" in html and "默认考核方案（省直部门）" in html
    d = AssessmentScheme.objects.get(series=Series.PREFECTURES, is_default=True)
    r = planner.post(reverse("assessment:scheme_copy", args=[d.pk]), {"year": "2024"})
    s = AssessmentScheme.objects.get(year=2024)
    assert r["Location"] == reverse("assessment:scheme", args=[s.pk])
    # A draft is the planners': 404 to another user.
    other = logged_in(chuannan_planner_user)
    assert other.get(reverse("assessment:scheme", args=[s.pk])).status_code == 404
    assert other.post(reverse("assessment:scheme_freeze", args=[s.pk])).status_code == 404
    tasks = s.items.get(code="tasks")
    planner.post(
        reverse("assessment:scheme_item", args=[s.pk]),
        {"item": str(tasks.pk), "points": "abc", "param_late_factor": "0.8"},
    )
    tasks.refresh_from_db()
    assert tasks.points == 40
    # 无考核对象时: a choice on the draft's page, 按满分计 by default, set here to 不得分
    proj = s.items.get(code="projects")
    page = planner.get(reverse("assessment:scheme", args=[s.pk])).content.decode()
    assert 'name="param_when_nothing"' in page and 'name="param_per_below_half"' in page
    planner.post(
        reverse("assessment:scheme_item", args=[s.pk]),
        {"item": str(proj.pk), "points": "15", "param_per_below_half": "3",
         "param_when_nothing": "zero"},
    )  # fmt: skip
    proj.refresh_from_db()
    assert proj.params == {"per_below_half": 3.0, "when_nothing": "zero"}
    planner.post(reverse("assessment:scheme_freeze", args=[s.pk]))
    html = other.get(reverse("assessment:scheme", args=[s.pk])).content.decode()
    assert "重点任务完成情况" in html and "逾期完成系数 0.8" in html and "优秀 ≥ 90" in html
    assert "无考核对象时 不得分" in html and "双过半未达每个项目扣分 3.0" in html
