"""The notice pages: a planner uploads, maps and confirms; others get a 404."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from planwatch.notices.models import NoticeBatch
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.models import AnnualList
from tests.factories.notices import notice_docx


def _upload(client: Client, plan: Plan) -> Any:
    upload = SimpleUploadedFile("通知.docx", notice_docx())
    return client.post("/notices/upload/", {"plan": plan.pk, "year": 2025, "file": upload})


def test_planner_uploads_maps_and_confirms(chuannan_planner: Client, plan: Plan) -> None:
    response = _upload(chuannan_planner, plan)
    batch = NoticeBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{batch.pk}/"
    page = chuannan_planner.get(f"/notices/{batch.pk}/").content.decode()
    assert "未确认的草稿" in page and "市发展改革委" in page and "待指定" in page
    yibin = OrgUnit.objects.get(name="宜宾市")
    chuannan_planner.post(
        f"/notices/{batch.pk}/map/", {"name": "市发展改革委", "org_unit": yibin.pk}
    )
    chuannan_planner.post(f"/notices/{batch.pk}/map/", {"name": "各街道", "group": "counties"})
    page = chuannan_planner.get(f"/notices/{batch.pk}/").content.decode()
    assert "待指定的单位名称" not in page
    response = chuannan_planner.post(f"/notices/{batch.pk}/confirm/", {"mode": "new"})
    alist = AnnualList.objects.get(plan=plan, year=2025)
    assert response["Location"] == f"/lists/{alist.pk}/"
    assert alist.tasks.count() == 3


def test_others_get_404(yibin_reporter: Client, chuannan_planner: Client, plan: Plan) -> None:
    _upload(chuannan_planner, plan)
    batch = NoticeBatch.objects.get()
    assert yibin_reporter.get("/notices/").status_code == 404
    assert yibin_reporter.get(f"/notices/{batch.pk}/").status_code == 404
    assert yibin_reporter.post(f"/notices/{batch.pk}/confirm/", {"mode": "new"}).status_code == 404
    assert _upload(yibin_reporter, plan).status_code == 302
    assert NoticeBatch.objects.count() == 1


def test_upload_of_a_non_notice_says_what_was_sought(chuannan_planner: Client, plan: Plan) -> None:
    upload = SimpleUploadedFile("x.txt", "无关内容。".encode())
    response = chuannan_planner.post(
        "/notices/upload/", {"plan": plan.pk, "year": 2025, "file": upload}, follow=True
    )
    assert "牵头单位" in response.content.decode()
    assert not NoticeBatch.objects.exists()


def test_the_lists_page_leads_planners_to_the_notices(chuannan_planner: Client, plan: Plan) -> None:
    page = chuannan_planner.get("/lists/").content.decode()
    assert 'href="/notices/"' in page
    assert chuannan_planner.get("/notices/").status_code == 200
