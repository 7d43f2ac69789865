"""联席会议: the 川南 planner records the zone's joint meeting with two decisions, drafts the
纪要 (and has it co-signed by two units and issued); a decision not done by its deadline turns
red, opens a 督办 case and appears in the next quarterly 通报; the lead unit reports progress
and the next meeting's 纪要 reports it back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from planwatch.documents import meetings, services
from planwatch.documents.models import Document, JointMeeting, MeetingDecision
from planwatch.supervision.models import SupervisionCase
from tests.documents.docx_checks import load, texts
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(monitored: dict[str, Any], chuannan_planner: Client, units: Any) -> JointMeeting:
    chuannan_planner.post(
        "/meetings/new/",
        {
            "zone": units.chuannan.pk,
            "session": "3",
            "held_on": "2024-03-15",
            "host": units.luzhou.pk,
            "members": [units.yibin.pk, units.luzhou.pk, units.ndrc.pk],
            "agenda": "审议川南经济区2024年度工作安排",
        },
    )
    m = JointMeeting.objects.get()
    for text, unit, deadline in (
        ("共建川南城际铁路", units.yibin.pk, "2024-06-30"),
        ("联合开展长江生态修复", units.luzhou.pk, "2024-12-31"),
    ):
        chuannan_planner.post(
            f"/meetings/{m.pk}/decisions/", {"text": text, "lead_unit": unit, "deadline": deadline}
        )
    return m


def test_meeting_minutes_cosigned_and_issued(
    meeting: JointMeeting,
    chuannan_planner: Client,
    chuannan_planner_user: User,
    yibin_reviewer_user: User,
    luzhou_reviewer_user: User,
    units: Any,
) -> None:
    page = chuannan_planner.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "共建川南城际铁路" in page and "联合开展长江生态修复" in page
    chuannan_planner.post(f"/meetings/{meeting.pk}/minutes/")
    doc = Document.objects.get(kind="minutes")
    assert doc.title == "川南经济区联席会议第3次会议纪要"
    body = texts(load(services.document_bytes(doc)))
    assert "1. 共建川南城际铁路（宜宾市牵头，2024年6月30日前完成）" in body
    services.document_co_issuers_set(
        document=doc, actor=chuannan_planner_user, units=[units.yibin, units.luzhou]
    )
    services.document_texts_set(
        document=doc, actor=chuannan_planner_user, texts={"discussion": "与会单位一致同意。"}
    )
    services.document_review(document=doc, actor=chuannan_planner_user)
    for user, unit in ((yibin_reviewer_user, units.yibin), (luzhou_reviewer_user, units.luzhou)):
        logged_in(user).post(f"/documents/{doc.pk}/cosign/", {"unit": unit.pk})
    chuannan_planner.post(f"/documents/{doc.pk}/issue/", {"number": "川发改〔2024〕30号"})
    doc.refresh_from_db()
    assert doc.status == "issued"


def test_late_decision_turns_red_opens_a_case_and_is_in_the_bulletin(
    meeting: JointMeeting, chuannan_planner_user: User, monitored: dict[str, Any]
) -> None:
    call_command("document", "decision-lights", "--today", "2024-07-02")
    late = MeetingDecision.objects.get(seq=1)
    assert late.light == "red"
    case = SupervisionCase.objects.get(pk=late.case_id)
    assert case.unit == late.lead_unit and case.subject == late
    assert MeetingDecision.objects.get(seq=2).light == "green"
    bulletin = services.document_build(
        kind="bulletin", actor=chuannan_planner_user, year=2024, plan=monitored["plan"], quarter=3
    )
    body = "\n".join(texts(load(services.document_bytes(bulletin))))
    assert "逾期未完成（红灯）的联席会议议定事项1项" in body
    assert "共建川南城际铁路（宜宾市牵头，时限2024年6月30日）" in body


def test_progress_reported_back_at_the_next_meeting(
    meeting: JointMeeting,
    yibin_reviewer_user: User,
    luzhou_reporter_user: User,
    chuannan_planner_user: User,
    units: Any,
) -> None:
    first = MeetingDecision.objects.get(seq=1)
    with pytest.raises(Exception, match="牵头单位"):
        meetings.decision_progress(
            decision=first, actor=luzhou_reporter_user, progress="x", done=True
        )
    logged_in(yibin_reviewer_user).post(
        f"/meetings/{meeting.pk}/decisions/{first.pk}/progress/",
        {"progress": "城际铁路已开工。", "done": "1"},
    )
    first.refresh_from_db()
    assert first.done_at is not None and meetings.decision_light(first, date(2025, 1, 1)) == "green"
    nxt = meetings.meeting_create(
        actor=chuannan_planner_user,
        zone=units.chuannan,
        session=4,
        held_on=date(2025, 3, 1),
        host=units.yibin,
        members=[units.yibin],
        agenda="审议2025年度工作安排",
    )
    body = texts(
        load(
            services.document_bytes(
                services.document_build(
                    kind="minutes", actor=chuannan_planner_user, year=2025, meeting=nxt
                )
            )
        )
    )
    assert "1. 共建川南城际铁路：已完成。城际铁路已开工。" in body
    assert "2. 联合开展长江生态修复：逾期未完成。" in body


def test_other_zone_turned_away(meeting: JointMeeting, panxi_planner: Client) -> None:
    assert panxi_planner.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert "川南" not in panxi_planner.get("/meetings/").content.decode()


def test_daily_run_once_a_day(meeting: JointMeeting) -> None:
    from datetime import datetime

    from django.utils import timezone

    from planwatch.documents.scheduled import decision_lights_if_due

    late = timezone.make_aware(datetime(2024, 7, 2, 23, 0))
    assert decision_lights_if_due(late) is not None
    assert decision_lights_if_due(late) is None  # already ran that day
    assert MeetingDecision.objects.get(seq=1).case_id is not None


def test_the_next_session_and_host_by_rotation(
    units: Any, chuannan_planner: Client, meeting: JointMeeting
) -> None:
    # the slice's 川南 cities in order: 泸州, 宜宾; session 3 was held in 泸州
    nxt = meetings.next_meeting(units.chuannan)
    assert (nxt.session, nxt.host) == (4, units.yibin)
    meeting.host = units.yibin
    meeting.save()
    assert meetings.next_meeting(units.chuannan).host == units.luzhou  # wraps round
    page = chuannan_planner.get("/meetings/").content.decode()
    assert "川南经济区：下次为第4次会议，按轮值由泸州市承办" in page
    assert f'<option value="{units.luzhou.pk}" selected>' in page


def test_a_zone_that_never_met_starts_with_its_first_city(units: Any) -> None:
    nxt = meetings.next_meeting(units.chuannan)
    assert (nxt.session, nxt.host) == (1, units.luzhou)
