"""The quarterly 红黑榜: computed by a province-wide planner from the accepted reports under
the stored method version, exemptions with their stated reason, published to signed-in
users with Chinese audit labels, and a 约谈 case opened for each black-listed unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from planwatch.audit.labels import action_label
from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ServiceError
from planwatch.orgunits.models import OrgUnit
from planwatch.projects import lists
from planwatch.projects.models import MonthlyReport, QuarterList
from planwatch.supervision.models import SupervisionCase
from tests.factories.personas import logged_in
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(
    cheng_zi_yi,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
    zigong_reviewer_user,
):
    """March figures: 宜宾 31,000 of 120,000 (25.8 %), 自贡 17,000 of 80,000 (21.25 %)."""
    p, zg, yb = cheng_zi_yi
    for seg, ytd, filler, reviewer in (
        (yb, 31000, yibin_reporter_user, yibin_reviewer_user),
        (zg, 17000, zigong_reporter_user, zigong_reviewer_user),
    ):
        filed_and_accepted(
            project=p,
            segment=seg,
            year=2026,
            month=3,
            ytd=ytd,
            filler=filler,
            reviewer=reviewer,
            planner=chuannan_planner_user,
        )
    return p


def _verdicts(qlist: QuarterList) -> dict[str, str]:
    return {e.unit.name: e.verdict for e in qlist.entries.select_related("unit") if e.rank}


def test_compute_ranks_by_the_method_and_stores_its_version(
    q1, planner_user, chuannan_planner_user
):
    with pytest.raises(PermissionDenied):
        lists.quarter_list_compute(
            series="prefectures", year=2026, quarter=1, actor=chuannan_planner_user
        )
    ql = lists.quarter_list_compute(series="prefectures", year=2026, quarter=1, actor=planner_user)
    # Two ranked units, top / bottom group = max(1, ⌊2 / 3⌋) = 1; target 3 / 12 = 25 %.
    assert _verdicts(ql) == {"宜宾市": "red", "自贡市": "black"}
    assert ql.target == pytest.approx(0.25) and ql.method_version == "2026.1"
    zg = ql.entries.get(unit__name="自贡市")
    assert (zg.rank, zg.rate) == (2, pytest.approx(17000 / 80000))
    # Units without a plan are listed unranked.
    assert ql.entries.filter(rank=None, verdict="none").exists()
    assert ql.published_at is None
    event = AuditEvent.objects.get(action="project_list.compute")
    assert action_label(event.action).startswith("计算红黑榜")
    assert event.new["black"] == ["自贡市"]


def test_exemption_needs_a_reason_and_publishing_opens_a_talk_case(q1, planner_user):
    ql = lists.quarter_list_compute(series="prefectures", year=2026, quarter=1, actor=planner_user)
    zigong = OrgUnit.objects.get(name="自贡市")
    ql = lists.quarter_list_exempt(
        quarter_list=ql, unit=zigong, reason="  3 月特大暴雨停工  ", actor=planner_user
    )
    assert _verdicts(ql)["自贡市"] == "exempt"
    assert ql.entries.get(unit=zigong).exempt_reason == "3 月特大暴雨停工"
    # Recomputing keeps the stated reason; an empty one lifts the exemption.
    ql = lists.quarter_list_compute(series="prefectures", year=2026, quarter=1, actor=planner_user)
    assert _verdicts(ql)["自贡市"] == "exempt"
    ql = lists.quarter_list_exempt(quarter_list=ql, unit=zigong, reason=" ", actor=planner_user)
    assert _verdicts(ql)["自贡市"] == "black"

    assert SupervisionCase.objects.count() == 0
    ql = lists.quarter_list_publish(quarter_list=ql, actor=planner_user, version=ql.version)
    assert ql.published_at is not None
    entry = ql.entries.get(unit=zigong)
    case = entry.case
    assert case is not None and case.unit == zigong and case.light == "red"
    assert "约谈" in case.reason and "21.2%" in case.reason
    # The case stands on the list entry itself (no generated task), linked to the list page.
    assert case.task is None and case.subject == entry and case.plan == q1.plan
    assert "红黑榜约谈" in case.title and case.about_url == entry.get_absolute_url()
    assert SupervisionCase.objects.count() == 1
    assert action_label("project_list.publish").startswith("发布红黑榜")
    with pytest.raises(ServiceError):
        lists.quarter_list_compute(series="prefectures", year=2026, quarter=1, actor=planner_user)
    with pytest.raises(ServiceError):
        lists.quarter_list_publish(quarter_list=ql, actor=planner_user, version=ql.version)


def test_lists_page_drafts_for_planners_published_for_signed_in_users(
    q1, planner_user, yibin_reporter_user
):
    page = reverse("projects:lists") + "?series=prefectures&year=2026&quarter=1"
    assert Client().get(page).status_code == 302
    planner = logged_in(planner_user)
    filler = logged_in(yibin_reporter_user)
    data = {"series": "prefectures", "year": 2026, "quarter": 1}
    assert filler.post(reverse("projects:lists_action", args=["compute"]), data).status_code == 404
    planner.post(reverse("projects:lists_action", args=["compute"]), data)
    ql = QuarterList.objects.get()
    draft = planner.get(page).content.decode()
    assert "草稿，尚未发布" in draft and 'data-verdict="black"' in draft
    assert "自贡市" not in filler.get(page).content.decode()

    zigong = OrgUnit.objects.get(name="自贡市")
    planner.post(
        reverse("projects:lists_action", args=["exempt"]),
        data | {"unit": zigong.pk, "reason": "地震停工"},
    )
    assert "地震停工" in planner.get(page).content.decode()
    planner.post(reverse("projects:lists_action", args=["exempt"]), data | {"unit": zigong.pk})
    ql.refresh_from_db()
    planner.post(reverse("projects:lists_action", args=["publish"]), data | {"version": ql.version})
    ql.refresh_from_db()
    assert ql.published_at is not None and SupervisionCase.objects.count() == 1

    seen = filler.get(page).content.decode()
    red = seen.split('id="red-list"')[1].split("</section>")[0]
    black = seen.split('id="black-list"')[1].split("</section>")[0]
    assert "宜宾市" in red and "自贡市" in black
    assert "已于" in seen and 'name="reason"' not in seen


def test_zone_planners_run_the_list_of_their_zones_cities(q1, zone, chuannan_planner_user):
    with pytest.raises(PermissionDenied):  # the province's list is not theirs
        lists.quarter_list_compute(
            series="prefectures", year=2026, quarter=1, actor=chuannan_planner_user
        )
    other = OrgUnit.objects.filter(kind="zone").exclude(pk=zone.pk).first()
    with pytest.raises(PermissionDenied):  # nor another zone's
        lists.quarter_list_compute(
            series="prefectures", year=2026, quarter=1, actor=chuannan_planner_user, zone=other
        )
    ql = lists.quarter_list_compute(
        series="prefectures", year=2026, quarter=1, actor=chuannan_planner_user, zone=zone
    )
    units = set(ql.entries.values_list("unit__path", flat=True))
    assert units and all(path.startswith(zone.path) for path in units)
    assert _verdicts(ql) == {"宜宾市": "red", "自贡市": "black"}
    ql = lists.quarter_list_publish(
        quarter_list=ql, actor=chuannan_planner_user, version=ql.version
    )
    assert ql.published_at is not None and ql.zone == zone and ql.edition == 1
    assert ql.entries.get(unit__name="自贡市").case is not None


def test_a_published_list_is_corrected_by_a_new_edition_with_its_reason(
    q1, planner_user, zigong_reporter_user, zigong_reviewer_user, chuannan_planner_user
):
    first = lists.quarter_list_compute(
        series="prefectures", year=2026, quarter=1, actor=planner_user
    )
    first = lists.quarter_list_publish(
        quarter_list=first, actor=planner_user, version=first.version
    )
    with pytest.raises(ValidationError):
        lists.quarter_list_correct(quarter_list=first, actor=planner_user, reason="  ")
    # 自贡's March report is corrected upwards after publication: 27,000 of 80,000 (33.75 %)
    # now beats 宜宾's 25.8 %, which is ranked last but beat the target (25 %): not black.
    report = MonthlyReport.objects.get(segment__place__name="自贡市", year=2026, month=3)
    MonthlyReport.objects.filter(pk=report.pk).update(invested_ytd=27000)
    second = lists.quarter_list_correct(
        quarter_list=first, actor=planner_user, reason="自贡市 3 月数据报错，已更正"
    )
    assert (second.edition, second.previous, second.published_at) == (2, first, None)
    assert _verdicts(second) == {"自贡市": "red", "宜宾市": "none"}
    first.refresh_from_db()
    assert _verdicts(first) == {"宜宾市": "red", "自贡市": "black"}  # the old one kept
    changes = {c.unit.name: (c.old_verdict, c.new_verdict) for c in lists.list_changes(second)}
    assert changes == {"自贡市": ("black", "red"), "宜宾市": ("red", "none")}
    event = AuditEvent.objects.get(action="project_list.correct")
    assert event.new["reason"] == "自贡市 3 月数据报错，已更正" and event.old == {"edition": 1}
    assert action_label(event.action).startswith("更正红黑榜")
    with pytest.raises(ServiceError):  # one correction at a time: publish it first
        lists.quarter_list_correct(quarter_list=first, actor=planner_user, reason="再改")
    lists.quarter_list_publish(quarter_list=second, actor=planner_user, version=second.version)

    page = reverse("projects:lists") + "?series=prefectures&year=2026&quarter=1"
    seen = logged_in(chuannan_planner_user).get(page).content.decode()
    assert "第2版更正第1版" in seen and "自贡市 3 月数据报错，已更正" in seen
    previous = seen.split('id="previous-edition"')[1].split("</section>")[0]
    assert "黑榜：自贡市" in previous and "红榜：宜宾市" in previous
    diff = seen.split('id="list-changes"')[1].split("</section>")[0]
    assert 'data-unit="自贡市"' in diff and 'data-new="red"' in diff
    old_page = logged_in(chuannan_planner_user).get(page + "&edition=1").content.decode()
    assert 'id="correction-reason"' not in old_page
    assert old_page.split('id="black-list"')[1].split("</section>")[0].count("自贡市") == 1


def test_correction_through_the_page(q1, zone, chuannan_planner_user):
    planner = logged_in(chuannan_planner_user)
    data = {"series": "prefectures", "year": 2026, "quarter": 1, "zone": zone.code}
    planner.post(reverse("projects:lists_action", args=["compute"]), data)
    ql = QuarterList.objects.get(zone=zone)
    planner.post(reverse("projects:lists_action", args=["publish"]), data | {"version": ql.version})
    page = reverse("projects:lists") + f"?series=prefectures&year=2026&quarter=1&zone={zone.code}"
    assert 'id="correct-form"' in planner.get(page).content.decode()
    planner.post(reverse("projects:lists_action", args=["correct"]), data | {"reason": "复核"})
    second = QuarterList.objects.get(zone=zone, edition=2)
    assert second.correction_reason == "复核" and second.previous == ql
    seen = planner.get(page).content.decode()
    assert "与原版相同" in seen and "草稿，尚未发布" in seen
