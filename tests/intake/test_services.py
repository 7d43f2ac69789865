"""Taking documents in through the services: a 宜宾 data clerk's communiqué becomes observations
only for the rows confirmed, citing the document's line; a 川南 planner's project list becomes
draft projects of the plan, the projects already drafted from its 专栏 matched by name; bad
files and other people refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planwatch.accounts.choices import Role
from planwatch.audit.models import AuditEvent
from planwatch.indicators.models import Observation
from planwatch.intake.choices import IntakeStatus
from planwatch.intake.matching import match_projects
from planwatch.intake.models import Intake
from planwatch.intake.selectors import observation_review
from planwatch.intake.services import (
    ObservationRow,
    ProjectRow,
    intake_discard,
    intake_observations_confirm,
    intake_projects_confirm,
    intake_upload,
)
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.projects.choices import ProjectStatus
from planwatch.projects.models import AnnualInvestmentPlan, Project
from planwatch.projects.services import project_drafts_generate
from tests.factories.personas import logged_in, make_user
from tests.indicators.helpers import south_gdp

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
COMMUNIQUE = FIXTURES / "communique-yibin-2022-composed.txt"


def test_a_communique_becomes_the_confirmed_observations_only(
    south: Plan,
    yibin: OrgUnit,
    chuannan_planner_user: User,
    yibin_clerk_user: User,
) -> None:
    luzhou_clerk_user = make_user(
        "luzhou_clerk", (OrgUnit.objects.get(adcode="510500"), Role.DATA_CLERK)
    )
    gdp = south_gdp(south, chuannan_planner_user)
    intake = intake_upload(
        actor=yibin_clerk_user,
        kind="observations",
        plan=south,
        name=COMMUNIQUE.name,
        data=COMMUNIQUE.read_bytes(),
    )
    assert intake.status == IntakeStatus.PROPOSED and intake.file.name
    assert not Observation.objects.filter(indicator__plan=south).exists()  # nothing yet
    review = observation_review(user=yibin_clerk_user, intake=intake)
    assert review.place == yibin
    matched = {item["indicator"]: ind for _i, item, ind in review.rows if item["kind"] == "level"}
    assert matched["地区生产总值"] == gdp.pk
    index = next(i for i, item, ind in review.rows if ind == gdp.pk)
    line = intake.proposal["items"][index]["line"]

    with pytest.raises(PermissionDenied):  # 泸州's clerk may not enter 宜宾's figures
        intake_observations_confirm(
            intake=intake,
            actor=luzhou_clerk_user,
            place=yibin,
            year=2022,
            stage="preliminary",
            rows=[ObservationRow(index, gdp, 3427.84)],
        )
    created = intake_observations_confirm(
        intake=intake,
        actor=yibin_clerk_user,
        place=yibin,
        year=2022,
        stage="preliminary",
        rows=[ObservationRow(index, gdp, 3427.9)],  # the clerk corrected the value
    )
    obs = Observation.objects.get(pk=created[0])
    assert (obs.indicator, obs.place, obs.year, obs.value) == (gdp, yibin, 2022, 3427.9)
    assert (obs.source, obs.source_line, obs.stage) == (COMMUNIQUE.name, line, "preliminary")
    assert Observation.objects.filter(indicator__plan=south).count() == 1
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CONFIRMED and intake.result == {"observations": created}
    actions = set(
        AuditEvent.objects.filter(target_type="intake.intake").values_list("action", flat=True)
    )
    assert actions == {"intake.upload", "intake.confirm"}
    with pytest.raises(ValidationError):  # confirmed once only
        intake_discard(intake=intake, actor=yibin_clerk_user)


def test_a_file_holding_no_figures_is_refused_and_nothing_is_stored(
    south: Plan, yibin_clerk_user: User, chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    south_gdp(south, chuannan_planner_user)
    notice = "关于做好春节期间安全生产工作的通知\n各单位要高度重视。\n".encode()
    with pytest.raises(ValidationError) as caught:
        intake_upload(
            actor=yibin_clerk_user, kind="observations", plan=south, name="通知.txt", data=notice
        )
    assert "地区生产总值" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        intake_upload(
            actor=chuannan_planner_user, kind="projects", plan=south, name="通知.txt", data=notice
        )
    assert (
        "文件中没有找到项目" in caught.value.messages[0] and "项目名称" in caught.value.messages[0]
    )
    with pytest.raises(PermissionDenied):  # a reporter is no data clerk
        intake_upload(
            actor=yibin_reporter_user,
            kind="observations",
            plan=south,
            name=COMMUNIQUE.name,
            data=COMMUNIQUE.read_bytes(),
        )
    workbook = COMMUNIQUE.parent / "projects-district-key-list.xlsx"
    with pytest.raises(ValidationError) as caught:
        intake_upload(
            actor=yibin_clerk_user,
            kind="observations",
            plan=south,
            name=workbook.name,
            data=workbook.read_bytes(),
        )
    message = caught.value.messages[0]
    assert "Excel 电子表格（XLSX）" in message and "不是统计公报" in message
    assert "指标数值" in message and "plan document" not in message
    assert not Intake.objects.exists()


def test_a_project_list_becomes_drafts_matched_to_the_plans_projects(
    south: Plan, chuannan_planner_user: User, yibin_clerk_user: User
) -> None:
    project_drafts_generate(plan=south, actor=chuannan_planner_user)
    drafted = Project.objects.get(plan=south, name="成自宜高铁")
    listing = (
        "2024年川南经济区重点项目名单\n单位：亿元\n"
        "序号\t项目名称\t建设地点\t建设内容\t总投资\t年度计划投资\n"
        "1\t成自宜高铁\t自贡市、宜宾市\t新建高速铁路\t355\t60\n"
        "2\t宜宾至威信高速公路\t高县、长宁县、珙县\t建设里程86.5公里\t130.5\t25\n"
        "3\t宜宾—威信高速公路\t高县、长宁县、珙县\t重复列入\t130.5\t25\n"
    ).encode()
    with pytest.raises(PermissionDenied):  # a data clerk does not draft projects
        intake_upload(
            actor=yibin_clerk_user, kind="projects", plan=south, name="名单.txt", data=listing
        )
    intake = intake_upload(
        actor=chuannan_planner_user, kind="projects", plan=south, name="名单.txt", data=listing
    )
    items = intake.proposal["items"]
    assert [i["name"] for i in items] == ["成自宜高铁", "宜宾至威信高速公路"]  # named twice: one
    assert intake.proposal["year"] == 2024
    matches = match_projects(items, south)
    assert matches[0].best == drafted and matches[1].best is None
    before = Project.objects.filter(plan=south).count()
    result = intake_projects_confirm(
        intake=intake,
        actor=chuannan_planner_user,
        year=2024,
        rows=[
            ProjectRow(0, "成自宜高铁", 3550000.0, 600000.0, drafted),
            ProjectRow(1, "宜宾至威信高速公路", 1305000.0, 250000.0, None),
        ],
    )
    assert result["matched"] == [drafted.pk] and len(result["created"]) == 1
    assert Project.objects.filter(plan=south).count() == before + 1
    new = Project.objects.get(pk=result["created"][0])
    assert new.status == ProjectStatus.DRAFT and new.zone == south.org_unit
    assert float(new.total_investment or 0) == 1305000.0
    assert sorted(new.places.values_list("name", flat=True)) == ["珙县", "长宁县", "高县"]
    drafted.refresh_from_db()
    assert float(drafted.total_investment or 0) == 3550000.0
    plans = AnnualInvestmentPlan.objects.filter(project__in=[drafted, new], year=2024)
    assert sorted(float(p.amount) for p in plans) == [250000.0, 600000.0]
    assert AuditEvent.objects.filter(action="project.draft_create", target_id=new.pk).exists()
    # 建设内容 is stored: on the new draft, and filled in on the drafted project lacking it,
    # and the project page shows it.
    assert items[1]["content"] and new.content == items[1]["content"]
    assert items[0]["content"] and drafted.content == items[0]["content"]
    event = AuditEvent.objects.get(action="project.draft_create", target_id=new.pk)
    assert event.new["content"] == items[1]["content"]
    page = logged_in(chuannan_planner_user).get(reverse("projects:detail", args=[new.pk]))
    assert page.status_code == 200
    assert f'<dd class="project-content">{items[1]["content"]}</dd>' in page.content.decode()
