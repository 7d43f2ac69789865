"""The intake pages through the test client: who may open them (a data clerk for communiqués,
a planner for project lists, everyone else a 404 alike), the upload refused with what was
looked for, the review, a confirmation with an edited value, the discard."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from planwatch.indicators.models import Observation
from planwatch.intake.choices import IntakeStatus
from planwatch.intake.models import Intake
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from tests.factories.personas import logged_in
from tests.indicators.helpers import south_gdp

pytestmark = pytest.mark.django_db
COMMUNIQUE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "extract"
    / ("communique-yibin-2022-composed.txt")
)


def _upload(client: Client, plan: Plan, name: str, data: bytes, kind: str = "observations"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(reverse("intake:index"), {"kind": kind, "plan": plan.pk, "file": upload})


def test_the_pages_for_the_clerk_and_the_refusals(
    south: Plan,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk: Client,
    yibin_reporter: Client,
    anon: Client,
) -> None:
    index = reverse("intake:index")
    # Before any indicator is confirmed the clerk is told why there is nothing to upload to.
    waiting = yibin_clerk.get(index)
    assert waiting.status_code == 200 and 'id="intake-nothing"' in waiting.content.decode()
    assert 'id="intake-upload"' not in waiting.content.decode()
    gdp = south_gdp(south, chuannan_planner_user)
    assert anon.get(index).status_code == 302
    assert yibin_reporter.get(index).status_code == 404
    page = yibin_clerk.get(index)
    assert page.status_code == 200 and south.title in page.content.decode()
    assert 'id="intake-upload"' in page.content.decode()
    assert "项目名单 → 项目草稿" not in page.content.decode()  # a clerk drafts no projects

    refused = _upload(yibin_clerk, south, "通知.txt", "各单位要高度重视。\n".encode())
    assert refused.status_code == 400
    assert "文件中没有找到指标数值" in refused.content.decode()
    assert not Intake.objects.exists()
    refused = _upload(yibin_clerk, south, "名单.txt", COMMUNIQUE.read_bytes(), kind="projects")
    assert refused.status_code == 400 and not Intake.objects.exists()

    done = _upload(yibin_clerk, south, COMMUNIQUE.name, COMMUNIQUE.read_bytes())
    intake = Intake.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "intake:detail", args=[intake.pk]
    )
    detail = reverse("intake:detail", args=[intake.pk])
    assert yibin_reporter.get(detail).status_code == 404
    assert logged_in(chuannan_planner_user).get(detail).status_code == 404  # no clerk
    body = yibin_clerk.get(detail).content.decode()
    assert "地区生产总值" in body and f'<option value="{gdp.pk}" selected>' in body
    # Every value but GDP has no confirmed indicator in the plan: marked and counted.
    unmatched = len(intake.proposal["items"]) - 1
    assert body.count('class="unmatched"') == unmatched > 0
    assert body.count("本规划无此指标</strong>") == unmatched
    assert f"{unmatched} 条数据「本规划无此指标」" in body

    confirm = reverse("intake:confirm", args=[intake.pk])
    index_gdp = next(
        i for i, item in enumerate(intake.proposal["items"]) if item["kind"] == "level"
    )
    post = {
        "place": yibin.pk,
        "year": "2022",
        "stage": "preliminary",
        "row": [str(index_gdp)],
        f"indicator_{index_gdp}": str(gdp.pk),
        f"value_{index_gdp}": "abc",
    }
    assert yibin_reporter.post(confirm, post).status_code == 404
    yibin_clerk.post(confirm, post)  # a value that is no number: refused, nothing stored
    assert not Observation.objects.exists()
    yibin_clerk.post(confirm, post | {f"value_{index_gdp}": "3427.9"})
    obs = Observation.objects.get()
    assert (obs.value, obs.source_line) == (3427.9, intake.proposal["items"][index_gdp]["line"])
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CONFIRMED
    after = yibin_clerk.get(detail).content.decode()
    assert "已导入 1 条监测数据" in after and reverse("indicators:detail", args=[gdp.pk]) in after
    yibin_clerk.post(reverse("intake:discard", args=[intake.pk]))  # too late: confirmed
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CONFIRMED

    again = _upload(yibin_clerk, south, COMMUNIQUE.name, COMMUNIQUE.read_bytes())
    second = Intake.objects.exclude(pk=intake.pk).get()
    assert again.status_code == 302
    yibin_clerk.post(reverse("intake:discard", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == IntakeStatus.DISCARDED and Observation.objects.count() == 1
