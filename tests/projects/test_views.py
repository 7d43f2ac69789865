"""Project pages: the 台账 lowest 完成率 first with filters and its xlsx export, the project
page's figures against a hand computation, the monthly report filed and reviewed through the
pages, what public visitors see, and the access matrix of every page (anonymous, outsider,
the persona it is for). A new URL in the `projects` namespace fails
`test_every_page_is_in_the_matrix` until it is added here."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from planwatch.audit.models import AuditEvent
from planwatch.projects import services as s
from planwatch.projects.models import MonthlyEvidence, MonthlyReport, Project, Segment
from planwatch.projects.summary import project_figures_rebuild
from tests.factories.personas import logged_in, make_user
from tests.projects.helpers import filed_and_accepted

pytestmark = pytest.mark.django_db
QS = "?year=2026&month=3"


@dataclass
class World:
    project: Project
    zg: Segment
    yb: Segment
    draft: Project
    report: MonthlyReport
    users: dict[str, User]
    evidence: MonthlyEvidence


def _visitor() -> Client:
    """Someone signed in without any role: the internal pages show them what they showed
    anonymous visitors before the portal (anonymous visitors now sign in first)."""
    user = User.objects.filter(username="visitor").first() or make_user("visitor")
    return logged_in(user)


@pytest.fixture
def world(
    settings,
    tmp_path,
    cheng_zi_yi,
    south,
    chuannan_planner_user,
    yibin_reporter_user,
    yibin_reviewer_user,
    zigong_reporter_user,
    zigong_reviewer_user,
    panzhihua_reporter_user,
    planner_user,
) -> World:
    p, zg, yb = cheng_zi_yi
    filed_and_accepted(
        project=p,
        segment=yb,
        year=2026,
        month=3,
        ytd=31000,
        filler=yibin_reporter_user,
        reviewer=yibin_reviewer_user,
        planner=chuannan_planner_user,
    )
    report = filed_and_accepted(
        project=p,
        segment=zg,
        year=2026,
        month=3,
        ytd=17000,
        filler=zigong_reporter_user,
        reviewer=zigong_reviewer_user,
        planner=chuannan_planner_user,
    )
    draft = Project.objects.filter(plan=south, status="draft").first()
    assert draft is not None
    elsewhere = panzhihua_reporter_user
    province = planner_user
    users = {
        "planner": chuannan_planner_user,
        "yibin_reporter": yibin_reporter_user,
        "yibin_reviewer": yibin_reviewer_user,
        "zigong_reporter": zigong_reporter_user,
        "zigong_reviewer": zigong_reviewer_user,
        "elsewhere": elsewhere,
        "province": province,
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    stored = default_storage.save("evidence/x/minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    evidence = MonthlyEvidence.objects.create(
        report=report, file=stored, name="minutes.pdf", sha256="0" * 64, size=15
    )
    return World(p, zg, yb, draft, report, users, evidence)


def test_project_page_figures_equal_a_hand_computation(world):
    page = (
        logged_in(world.users["yibin_reporter"])
        .get(reverse("projects:detail", args=[world.project.pk]) + QS)
        .content.decode()
    )
    # (31,000 + 17,000) / (120,000 + 80,000) = 0.24; 3 / 12 = 0.25; gap −1.0; green.
    assert '<dd data-figure="rate">0.2400</dd>' in page
    assert '<dd data-figure="time">0.2500</dd>' in page
    assert '<dd data-figure="gap">-1.0</dd>' in page
    assert 'data-figure="light" class="light light-green"' in page
    assert f"原文第 {world.project.source_page} 页" in page
    assert "自贡市" in page and "宜宾市" in page and 'id="chart-investment"' in page


def test_project_page_map_highlights_the_cities_it_crosses(world, zigong, yibin):
    """The map names the segments' cities by the adcodes of the map geometry."""
    page = _visitor().get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    data = json.loads(page.split('id="project-map" type="application/json">')[1].split("<")[0])
    expected = sorted({(u.adcode, u.name) for u in (zigong, yibin, *world.project.places.all())})
    assert [(c["adcode"], c["name"]) for c in data["cities"]] == expected
    assert ("510300", "自贡市") in expected and ("511500", "宜宾市") in expected
    assert 'id="chart-project-map"' in page and "sichuan.json" in page


def test_public_visitors_see_yearly_figures_only(world):
    page = _visitor().get(reverse("projects:detail", args=[world.project.pk]) + QS).content.decode()
    assert '<td class="num" data-plan-year="2026">200000.00</td>' in page  # 120,000 + 80,000
    assert 'data-figure="rate"' not in page and "chart-investment" not in page
    ledger = _visitor().get(reverse("projects:ledger") + QS).content.decode()
    assert "成自宜高铁" in ledger and "完成率" not in ledger
    assert _visitor().get(reverse("projects:detail", args=[world.draft.pk])).status_code == 404


def test_ledger_lowest_completion_first_with_filters_and_xlsx(
    world, zone, chuannan_planner_user, yibin
):
    other = s.project_create(
        actor=chuannan_planner_user,
        zone=zone,
        values={"name": "宜宾临港物流园", "lead_unit": yibin, "sector": "industry"},
    )
    s.annual_plan_set(project=other, year=2026, amount="50000", actor=chuannan_planner_user)
    client = logged_in(world.users["planner"])
    page = client.get(reverse("projects:ledger") + QS + f"&place={zone.code}").content.decode()
    assert page.index("宜宾临港物流园") < page.index("成自宜高铁")  # 0 % before 24 %
    only = client.get(reverse("projects:ledger") + QS + "&sector=industry").content.decode()
    assert "宜宾临港物流园" in only and "成自宜高铁" not in only
    response = client.get(reverse("projects:ledger") + QS + "&format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["宜宾临港物流园", "成自宜高铁"]
    assert rows[1][9] == 24.0 and rows[1][10] == 25.0 and rows[1][11] == -1.0
    assert _visitor().get(reverse("projects:ledger") + "?format=xlsx").status_code == 404


def test_monthly_report_through_the_pages(world):
    filler = logged_in(world.users["yibin_reporter"])
    r = filler.post(
        reverse("projects:report_start", args=[world.project.pk]),
        {"segment": world.yb.pk, "year": 2026, "month": 4},
    )
    report = MonthlyReport.objects.get(segment=world.yb, year=2026, month=4)
    assert r["Location"] == reverse("projects:report", args=[report.pk])
    filler.post(
        r["Location"],
        {
            "version": report.version,
            "invested_month": "9000",
            "invested_ytd": "40000",
            "invested_total": "140000",
            "progress_text": "墩身完成",
            "issues": "用地指标\n",
        },
    )
    report.refresh_from_db()
    assert report.invested_ytd == 40000 and report.issues.get().text == "用地指标"
    step = reverse("projects:report_step", args=[report.pk])
    filler.post(step, {"target": "submitted"})
    logged_in(world.users["yibin_reviewer"]).post(step, {"target": "unit_approved"})
    planner = logged_in(world.users["planner"])
    planner.post(step, {"target": "accepted"})
    report.refresh_from_db()
    assert report.status == "accepted"
    issue = report.issues.get()
    planner.post(reverse("projects:issue_escalate", args=[report.pk, issue.pk]))
    issue.refresh_from_db()
    assert issue.case is not None


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[World], list[Any]]
    allowed: str
    denied: str | None
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    ok: tuple[int, ...] = (200, 302)


LIST_QS = {"series": "prefectures", "year": 2026, "quarter": 1}

PAGES = [
    Page("lists", lambda w: [], "yibin_reporter", None),
    Page("lists_action", lambda w: ["compute"], "province", "planner", "post", lambda w: LIST_QS),
    Page("ledger", lambda w: [], "visitor", None),
    Page("detail", lambda w: [w.project.pk], "visitor", None),
    Page("detail", lambda w: [w.draft.pk], "planner", "yibin_reporter"),
    Page(
        "report_start",
        lambda w: [w.project.pk],
        "yibin_reporter",
        "elsewhere",
        "post",
        lambda w: {"segment": w.yb.pk, "year": 2026, "month": 5},
    ),
    Page("report", lambda w: [w.report.pk], "zigong_reporter", "yibin_reporter"),
    Page(
        "report",
        lambda w: [w.report.pk],
        "zigong_reporter",
        "yibin_reporter",
        "post",
        ok=(400,),  # the report is accepted: the save is refused, the form shown again
    ),
    Page(
        "report_step",
        lambda w: [w.report.pk],
        "planner",
        "yibin_reviewer",
        "post",
        lambda w: {"target": "returned", "reason": "x"},
    ),
    Page(
        "issue_escalate",
        lambda w: [w.report.pk, w.report.issues.get().pk],
        "planner",
        "zigong_reporter",
        "post",
    ),
    Page("report_evidence", lambda w: [w.report.pk], "zigong_reporter", "yibin_reporter", "post"),
    Page(
        "report_evidence_file",
        lambda w: [w.report.pk, w.evidence.pk],
        "zigong_reviewer",
        "yibin_reporter",
    ),
    Page(
        "report_evidence_delete",
        lambda w: [w.report.pk, w.evidence.pk],
        "zigong_reporter",
        "yibin_reporter",
        "post",
    ),
    Page("plan_drafts", lambda w: [w.project.plan.slug], "planner", "yibin_reporter"),
    Page("plan_drafts", lambda w: [w.project.plan.slug], "planner", "yibin_reporter", "post"),
    Page("action", lambda w: [w.draft.pk, "confirm"], "planner", "yibin_reporter", "post"),
    Page(
        "action",
        lambda w: [w.project.pk, "annual_plan"],
        "planner",
        "yibin_reporter",
        "post",
        lambda w: {"year": 2027, "amount": "5"},
    ),
]


def _client(w: World, who: str) -> Client:
    if who == "visitor":
        return _visitor()
    return Client() if who == "anonymous" else logged_in(w.users[who])


def _call(client: Client, page: Page, w: World) -> Any:
    url = reverse(f"projects:{page.name}", args=page.args(w))
    return client.post(url, page.data(w)) if page.method == "post" else client.get(url)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.method}-{p.name}")
def test_page_access(page: Page, world: World) -> None:
    if page.denied is not None:
        before = AuditEvent.objects.count()
        anonymous = _call(Client(), page, world)
        assert anonymous.status_code in (302, 404)
        if anonymous.status_code == 302:
            assert "/accounts/login" in anonymous["Location"]
        assert _call(_client(world, page.denied), page, world).status_code == 404
        assert AuditEvent.objects.count() == before
    response = _call(_client(world, page.allowed), page, world)
    assert response.status_code in page.ok


def test_anonymous_visitors_sign_in_first(world: World) -> None:
    """The ledger and project pages are internal: the public reads published projects on
    the portal (/gongkai/)."""
    for url in (reverse("projects:ledger"), reverse("projects:detail", args=[world.project.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_every_page_is_in_the_matrix() -> None:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "projects":
            names |= {p.name for p in pattern.url_patterns if p.name}  # type: ignore[union-attr]
    assert names == {p.name for p in PAGES}


def test_planner_confirms_sets_segments_and_plans_through_the_pages(
    south, chuannan_planner_user, yibin, zigong
):
    planner = logged_in(chuannan_planner_user)
    drafts = reverse("projects:plan_drafts", args=[south.slug])
    planner.post(drafts)
    page = planner.get(drafts).content.decode()
    p = Project.objects.get(plan=south, name="成自宜高铁")
    assert f'id="project-{p.pk}"' in page and "原文第" in page
    planner.post(reverse("projects:action", args=[p.pk, "confirm"]))
    for city, amount in ((zigong, "80000"), (yibin, "120000")):
        planner.post(
            reverse("projects:action", args=[p.pk, "segment"]),
            {"place": city.pk, "unit": city.pk, "investment": "1000000"},
        )
        seg = p.segments.get(place=city)
        planner.post(
            reverse("projects:action", args=[p.pk, "annual_plan"]),
            {"segment": seg.pk, "year": 2026, "amount": amount},
        )
    p.refresh_from_db()
    assert p.status == "confirmed" and p.segments.count() == 2
    assert p.annual_plans.filter(year=2026).count() == 2
    bad = planner.post(
        reverse("projects:action", args=[p.pk, "annual_plan"]),
        {"year": 2026, "amount": "x"},
        follow=True,
    )
    assert "应为数字" in bad.content.decode()


def test_monthly_report_one_form_keeps_what_was_typed_and_can_be_withdrawn(world):
    """Issue 9, item 2: 报送 without 保存 first; a refused submit re-renders what was typed
    with the error under its field; the filler withdraws (撤回) until the reviewer acts."""
    filler = logged_in(world.users["yibin_reporter"])
    r = filler.post(
        reverse("projects:report_start", args=[world.project.pk]),
        {"segment": world.yb.pk, "year": 2026, "month": 6},
    )
    report = MonthlyReport.objects.get(segment=world.yb, year=2026, month=6)
    typed = {"version": report.version, "invested_month": "700", "invested_ytd": "5000"}
    typed |= {"invested_total": "", "progress_text": "桩基施工", "action": "submit"}
    refused = filler.post(r["Location"], typed)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'value="700"' in html and 'value="5000"' in html and "桩基施工" in html
    assert html.index('name="invested_total"') < html.index("请填写此项。")
    report.refresh_from_db()
    assert report.status == "draft" and report.invested_month == 700  # the typed is saved
    typed |= {"version": report.version, "invested_total": "90000"}
    assert filler.post(r["Location"], typed).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    page = filler.get(r["Location"]).content.decode()
    assert "撤回" in page
    step = reverse("projects:report_step", args=[report.pk])
    filler.post(step, {"target": "draft"})
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None
    assert AuditEvent.objects.filter(action="monthly_report.withdraw").exists()
    filler.post(r["Location"], typed | {"version": report.version})
    logged_in(world.users["yibin_reviewer"]).post(step, {"target": "unit_approved"})
    filler.post(step, {"target": "draft"})
    report.refresh_from_db()
    assert report.status == "unit_approved"


def test_start_completion_and_funds_rates_on_the_project_page_and_ledger(world, zone):
    import datetime as dt

    p = world.project
    Project.objects.filter(pk=p.pk).update(
        planned_start=dt.date(2026, 2, 1), actual_start=dt.date(2026, 2, 20)
    )
    MonthlyReport.objects.filter(project=p, segment=world.yb).update(funds_in_place=30000)
    MonthlyReport.objects.filter(project=p, segment=world.zg).update(funds_in_place=20000)
    project_figures_rebuild()  # written past the services: the 台账's summary rebuilt
    s.project_create(
        actor=world.users["planner"],
        zone=zone,
        values={
            "name": "宜宾港扩建",
            "planned_start": dt.date(2026, 3, 1),
            "planned_completion": dt.date(2026, 12, 31),
        },
    )
    client = logged_in(world.users["yibin_reporter"])
    page = client.get(reverse("projects:detail", args=[p.pk]) + QS).content.decode()
    # funds (30,000 + 20,000) / plan (120,000 + 80,000) = 0.25; 1 of 1 planned start made.
    assert '<dd data-figure="funds-rate">0.2500' in page
    assert '<dd data-figure="start-rate">100%' in page
    assert '<dd data-figure="completion-rate">—' in page
    ledger = client.get(reverse("projects:ledger") + QS).content.decode()
    # two planned starts in 2026, one made; one planned completion, none made.
    assert '<dd data-figure="start-rate">50%' in ledger
    assert '<dd data-figure="completion-rate">0%' in ledger
    assert '<dd data-figure="funds-rate">0.2500' in ledger
    assert 'id="rates"' not in _visitor().get(reverse("projects:ledger") + QS).content.decode()
