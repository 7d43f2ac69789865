"""The quarterly 红黑榜: computed by a province-wide planner from the accepted reports under
the stored method version, exemptions with their stated reason, published to signed-in
users with Chinese audit labels, and a 约谈 case opened for each black-listed unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from planwatch.accounts.choices import Role
from planwatch.audit.labels import action_label
from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ServiceError
from planwatch.orgunits.models import OrgUnit
from planwatch.projects import lists
from planwatch.projects.models import QuarterList
from planwatch.supervision.models import SupervisionCase
from tests.factories.personas import logged_in, make_user
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_planner(south):
    return make_user("province_planner", (OrgUnit.objects.get(kind="province"), Role.PLANNER))


@pytest.fixture
def q1(
    cheng_zi_yi,
    south_planner_user,
    yibin_filler_user,
    yibin_reviewer_user,
    zigong_filler_user,
    zigong_reviewer_user,
):
    """March figures: 宜宾 31,000 of 120,000 (25.8 %), 自贡 17,000 of 80,000 (21.25 %)."""
    p, zg, yb = cheng_zi_yi
    for seg, ytd, filler, reviewer in (
        (yb, 31000, yibin_filler_user, yibin_reviewer_user),
        (zg, 17000, zigong_filler_user, zigong_reviewer_user),
    ):
        filed_and_accepted(
            project=p,
            segment=seg,
            year=2026,
            month=3,
            ytd=ytd,
            filler=filler,
            reviewer=reviewer,
            planner=south_planner_user,
        )
    return p


def _verdicts(qlist: QuarterList) -> dict[str, str]:
    return {e.unit.name: e.verdict for e in qlist.entries.select_related("unit") if e.rank}


def test_compute_ranks_by_the_method_and_stores_its_version(
    q1, province_planner, south_planner_user
):
    with pytest.raises(PermissionDenied):
        lists.quarter_list_compute(
            series="prefectures", year=2026, quarter=1, actor=south_planner_user
        )
    ql = lists.quarter_list_compute(
        series="prefectures", year=2026, quarter=1, actor=province_planner
    )
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


def test_exemption_needs_a_reason_and_publishing_opens_a_talk_case(q1, province_planner):
    ql = lists.quarter_list_compute(
        series="prefectures", year=2026, quarter=1, actor=province_planner
    )
    zigong = OrgUnit.objects.get(name="自贡市")
    ql = lists.quarter_list_exempt(
        quarter_list=ql, unit=zigong, reason="  3 月特大暴雨停工  ", actor=province_planner
    )
    assert _verdicts(ql)["自贡市"] == "exempt"
    assert ql.entries.get(unit=zigong).exempt_reason == "3 月特大暴雨停工"
    # Recomputing keeps the stated reason; an empty one lifts the exemption.
    ql = lists.quarter_list_compute(
        series="prefectures", year=2026, quarter=1, actor=province_planner
    )
    assert _verdicts(ql)["自贡市"] == "exempt"
    ql = lists.quarter_list_exempt(quarter_list=ql, unit=zigong, reason=" ", actor=province_planner)
    assert _verdicts(ql)["自贡市"] == "black"

    assert SupervisionCase.objects.count() == 0
    ql = lists.quarter_list_publish(quarter_list=ql, actor=province_planner, version=ql.version)
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
        lists.quarter_list_compute(
            series="prefectures", year=2026, quarter=1, actor=province_planner
        )
    with pytest.raises(ServiceError):
        lists.quarter_list_publish(quarter_list=ql, actor=province_planner, version=ql.version)


def test_lists_page_drafts_for_planners_published_for_signed_in_users(
    q1, province_planner, yibin_filler_user
):
    page = reverse("projects:lists") + "?series=prefectures&year=2026&quarter=1"
    assert Client().get(page).status_code == 302
    planner = logged_in(province_planner)
    filler = logged_in(yibin_filler_user)
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
