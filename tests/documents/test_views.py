"""The document pages: a planner drafts an annual report from the list page, writes the
marked passages in the browser form, reviews and issues it with its 文号 and downloads the
DOCX; issuing is refused while a passage is unwritten; a leader of the zone reads without
the forms; another zone's planner and anonymous visitors are turned away."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from planwatch.documents import services
from planwatch.documents.models import Document
from tests.documents.docx_checks import load, texts

pytestmark = pytest.mark.django_db


def _draft(client: Client, plan: Any) -> Document:
    response = client.post("/documents/new/", {"kind": "annual", "plan": plan.pk, "year": "2024"})
    assert response.status_code == 302
    return Document.objects.get()


def test_planner_writes_reviews_issues_downloads(
    monitored: dict[str, Any], chuannan_planner: Client
) -> None:
    page = chuannan_planner.get("/documents/")
    assert page.status_code == 200 and "起草公文" in page.content.decode()
    doc = _draft(chuannan_planner, monitored["plan"])
    detail = chuannan_planner.get(f"/documents/{doc.pk}/").content.decode()
    assert "【待撰写：下一步工作建议】" in detail and 'name="text_next_steps"' in detail
    # review refused while passages remain
    chuannan_planner.post(f"/documents/{doc.pk}/review/")
    doc.refresh_from_db()
    assert doc.status == "draft"
    form = {f"text_{k}": f"{k}：已撰写。" for k in services.placeholders_left(doc)}
    chuannan_planner.post(f"/documents/{doc.pk}/texts/", form)
    chuannan_planner.post(f"/documents/{doc.pk}/review/")
    chuannan_planner.post(
        f"/documents/{doc.pk}/issue/", {"number": "川发改〔2025〕7号", "cc": "省统计局"}
    )
    doc.refresh_from_db()
    assert (doc.status, doc.number, doc.cc) == ("issued", "川发改〔2025〕7号", "省统计局")
    response = chuannan_planner.get(f"/documents/{doc.pk}/download.docx")
    assert response.status_code == 200
    body = texts(load(response.content))
    assert "next_steps：已撰写。" in body and "抄送：省统计局。" in body
    figures = chuannan_planner.get(f"/documents/{doc.pk}/figures.json").json()
    assert figures["sha256"] == doc.sha256


def test_leader_reads_without_forms(
    monitored: dict[str, Any], chuannan_planner: Client, chuannan_leader: Client
) -> None:
    doc = _draft(chuannan_planner, monitored["plan"])
    page = chuannan_leader.get(f"/documents/{doc.pk}/")
    assert page.status_code == 200
    assert 'name="text_overview"' not in page.content.decode()
    assert chuannan_leader.post(f"/documents/{doc.pk}/review/").status_code == 404


def test_others_turned_away(
    monitored: dict[str, Any], chuannan_planner: Client, panxi_planner: Client, anon: Client
) -> None:
    doc = _draft(chuannan_planner, monitored["plan"])
    for url in (f"/documents/{doc.pk}/", f"/documents/{doc.pk}/download.docx"):
        assert panxi_planner.get(url).status_code == 404
        assert anon.get(url).status_code == 302  # to the login page
    assert (
        panxi_planner.post(
            "/documents/new/", {"kind": "annual", "plan": monitored["plan"].pk, "year": "2024"}
        ).status_code
        == 404
    )
    assert "川南" not in panxi_planner.get("/documents/").content.decode()


def test_supervision_notice_of_a_case(
    monitored: dict[str, Any], chuannan_planner: Client, units: Any
) -> None:
    from django.utils import timezone

    from planwatch.supervision.models import SupervisionCase

    task = monitored["tasks"][0]
    case = SupervisionCase.objects.create(
        task=task,
        plan=monitored["plan"],
        title=task.title,
        year=2024,
        status="assigned",
        light="red",
        reason="逾期未完成",
        unit=units.yibin,
        opened_at=timezone.now(),
    )
    response = chuannan_planner.post(
        "/documents/new/",
        {"kind": "supervision", "plan": monitored["plan"].pk, "year": "2024", "case": case.pk},
    )
    assert response.status_code == 302
    doc = Document.objects.get(kind="supervision")
    assert (doc.case_id, doc.zone_id) == (case.pk, units.chuannan.pk)
    rows = [[c.text for c in r.cells] for r in load(services.document_bytes(doc)).tables[0].rows]
    assert ["承办单位", "宜宾市"] in rows and ["督办事由", "逾期未完成"] in rows
    assert "宜宾市：" in texts(load(services.document_bytes(doc)))
