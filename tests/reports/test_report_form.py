"""Nothing typed is lost (issue 9, item 2): the report page has one form with 保存 and 报送
buttons; a refused save or submit re-renders what was typed with the error under its field;
a submitted report can be withdrawn (撤回) by its reporter until the reviewer acts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from planwatch.audit.models import AuditEvent
from planwatch.reports.choices import ReportStatus
from planwatch.reports.models import ProgressReport
from planwatch.reports.services import progress_report_approve, progress_report_start
from planwatch.tasks.models import AnnualList
from tests.factories.implementation import Units
from tests.factories.personas import logged_in

Q1 = date(2024, 1, 1)


@pytest.fixture
def report(issued: AnnualList, units: Units, yibin_reporter_user: Any) -> ProgressReport:
    task = issued.tasks.get(clause_key="c3.p1")
    return progress_report_start(
        task=task, unit=units.yibin, period_start=Q1, actor=yibin_reporter_user
    )


def _post(client: Any, report: ProgressReport, action: str, **fields: Any) -> Any:
    data = {"version": report.version, "progress_status": "in_progress", "action": action}
    return client.post(reverse("reports:report_detail", args=[report.pk]), data | fields)


def test_the_page_has_one_form_with_save_and_submit_buttons(
    report: ProgressReport, yibin_reporter_user: Any
) -> None:
    html = logged_in(yibin_reporter_user).get(reverse("reports:report_detail", args=[report.pk]))
    text = html.content.decode()
    assert text.count('id="report-form"') == 1
    assert 'name="action" value="save"' in text and 'name="action" value="submit"' in text
    assert "/submit/" not in text  # no second, empty form that submits


def test_submit_without_saving_first_saves_and_submits(
    report: ProgressReport, yibin_reporter_user: Any
) -> None:
    client = logged_in(yibin_reporter_user)
    response = _post(client, report, "submit", completion="40", narrative="已完成可研批复")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.completion == 40 and report.narrative == "已完成可研批复"


def test_a_refused_submit_keeps_what_was_typed_with_the_error_under_the_field(
    report: ProgressReport, yibin_reporter_user: Any
) -> None:
    client = logged_in(yibin_reporter_user)
    response = _post(client, report, "submit", completion="35", narrative="")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="35"' in text or 'value="35.0"' in text
    assert "请填写进展情况。" in text
    # the error sits in the narrative's field row, after its widget
    row = text[text.index('name="narrative"') :]
    assert row.index("请填写进展情况。") < row.index("</p>")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.completion == 35  # what was typed is saved too
    assert f'name="version" value="{report.version}"' in text  # the next press works
    response = _post(client, report, "submit", completion="35", narrative="补上进展")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_invalid_value_is_refused_and_kept(
    report: ProgressReport, yibin_reporter_user: Any
) -> None:
    client = logged_in(yibin_reporter_user)
    response = _post(client, report, "submit", completion="150", narrative="一段很长的进展")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="150"' in text and "一段很长的进展" in text
    report.refresh_from_db()
    assert report.completion is None and report.status == ReportStatus.DRAFT


def test_the_reporter_withdraws_until_the_reviewer_acts(
    report: ProgressReport, yibin_reporter_user: Any, yibin_reviewer_user: Any
) -> None:
    client = logged_in(yibin_reporter_user)
    _post(client, report, "submit", completion="50", narrative="推进中")
    report.refresh_from_db()
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "撤回" in page
    url = reverse("reports:report_action", args=[report.pk, "withdraw"])
    # the reviewer cannot withdraw it for the reporter
    assert logged_in(yibin_reviewer_user).post(url, {"version": report.version}).status_code == 404
    assert client.post(url, {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    assert report.completion == 50  # the values stay for the next submit
    assert AuditEvent.objects.filter(
        action="progress_report.withdraw", target_id=report.pk
    ).exists()
    _post(client, report, "submit", completion="50", narrative="推进中")
    report.refresh_from_db()
    progress_report_approve(report=report, actor=yibin_reviewer_user)
    report.refresh_from_db()
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "撤回" not in page
    client.post(url, {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.UNIT_APPROVED


def test_others_cannot_post_the_form(report: ProgressReport, luzhou_reporter_user: Any) -> None:
    response = _post(logged_in(luzhou_reporter_user), report, "save", completion="10")
    assert response.status_code == 404
