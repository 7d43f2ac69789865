"""The portal's pages, the publication buttons on the internal pages, and the lock-down of
the internal pages for anonymous visitors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, clear_url_caches, reverse

from planwatch.audit.models import AuditEvent
from planwatch.publication.models import Publication
from planwatch.publication.selectors import is_public
from tests.factories.personas import logged_in
from tests.portal.world import UNVERIFIED_VALUE, VERIFIED_VALUE, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished(chuannan_planner_user: User, chengdu_planner_user: User) -> World:
    return build_world(chuannan_planner_user, chengdu_planner_user, publish_all=False)


# --- the publication buttons -------------------------------------------------------------


def test_a_planner_publishes_and_withdraws_a_list_from_its_page(
    unpublished: World, chuannan_planner_user: User
) -> None:
    w = unpublished
    planner = logged_in(chuannan_planner_user)
    page_url = reverse("tasks:list_detail", args=[w.published_list.pk])
    page = planner.get(page_url).content.decode()
    assert "公开整份清单" in page and 'id="publication"' in page and "data-confirm" in page
    portal_url = reverse("portal:list", args=[w.published_list.pk])
    assert Client().get(portal_url).status_code == 404
    publish_url = reverse("publication:publish", args=["list", w.published_list.pk])
    r = planner.post(publish_url, {"note": "2024年清单", "next": page_url})
    assert r.status_code == 302 and r["Location"] == page_url
    assert is_public(w.published_list)
    assert Client().get(portal_url).status_code == 200
    assert "撤回公开" in planner.get(page_url).content.decode()
    withdraw_url = reverse("publication:withdraw", args=["list", w.published_list.pk])
    planner.post(withdraw_url, {"reason": " ", "next": page_url})
    assert is_public(w.published_list)  # no reason, no withdrawal
    planner.post(withdraw_url, {"reason": "清单修订中", "next": page_url})
    assert not is_public(w.published_list)
    assert Client().get(portal_url).status_code == 404
    assert Publication.objects.get().withdrawal_reason == "清单修订中"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"publication.publish", "publication.withdraw"} <= actions
    manage = planner.get(reverse("publication:manage")).content.decode()
    assert "清单修订中" in manage and "已撤回" in manage


def test_buttons_on_the_task_indicator_project_and_edition_pages(
    unpublished: World, chuannan_planner_user: User, chengdu_planner_user: User
) -> None:
    w = unpublished
    planner = logged_in(chuannan_planner_user)
    task = w.published_list.tasks.order_by("seq").first()
    assert task is not None
    for url in (
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("indicators:detail", args=[w.indicator.pk]),
        reverse("projects:detail", args=[w.project.pk]),
    ):
        page = planner.get(url).content.decode()
        assert 'id="publication"' in page and "公开发布" in page, url
    edition_page = logged_in(chengdu_planner_user).get(
        reverse("assessment:edition", args=[w.edition.pk])
    )
    assert 'id="publication"' in edition_page.content.decode()
    r = logged_in(chengdu_planner_user).post(
        reverse("publication:publish", args=["index_edition", w.edition.pk])
    )
    assert r.status_code == 302 and is_public(w.edition)
    assert Client().get(reverse("portal:index_edition", args=[w.edition.pk])).status_code == 200


def test_only_the_zones_planners_see_and_use_the_buttons(
    unpublished: World,
    yibin_reporter_user: User,
    panxi_planner_user: User,
    chengdu_planner_user: User,
) -> None:
    w = unpublished
    url = reverse("tasks:list_detail", args=[w.published_list.pk])
    assert 'id="publication"' not in logged_in(yibin_reporter_user).get(url).content.decode()
    publish_url = reverse("publication:publish", args=["list", w.published_list.pk])
    for user in (yibin_reporter_user, panxi_planner_user, chengdu_planner_user):
        assert logged_in(user).post(publish_url).status_code == 404
    assert Client().post(publish_url).status_code == 302  # sign in first
    assert not Publication.objects.exists()
    assert logged_in(yibin_reporter_user).get(reverse("publication:manage")).status_code == 404
    bad = reverse("publication:publish", args=["nothing", w.published_list.pk])
    assert logged_in(chengdu_planner_user).post(bad).status_code == 404


def test_what_is_not_ready_cannot_be_published(
    unpublished: World, chuannan_planner_user: User
) -> None:
    from planwatch.tasks.services import task_drafts_generate

    draft_list = task_drafts_generate(
        plan=unpublished.south, year=2026, actor=chuannan_planner_user
    ).annual_list
    planner = logged_in(chuannan_planner_user)
    page = planner.get(reverse("tasks:list_detail", args=[draft_list.pk])).content.decode()
    assert "清单尚未下达，不能公开。" in page and "公开整份清单" not in page
    planner.post(reverse("publication:publish", args=["list", draft_list.pk]))
    assert not Publication.objects.exists()


# --- lock-down ---------------------------------------------------------------------------


def test_internal_pages_ask_anonymous_visitors_to_sign_in(world: World) -> None:
    anon = Client()
    for url in (
        reverse("indicators:index"),
        reverse("indicators:detail", args=[world.indicator.pk]),
        reverse("indicators:matrix", args=[world.south.org_unit.code]),  # type: ignore[union-attr]
        reverse("projects:ledger"),
        reverse("projects:detail", args=[world.project.pk]),
        reverse("assessment:index"),
        reverse("assessment:edition", args=[world.edition.pk]),
        reverse("tasks:task_list"),
        reverse("tasks:list_detail", args=[world.published_list.pk]),
    ):
        r = anon.get(url)
        assert r.status_code == 302 and "/accounts/login" in r["Location"], url
    for url in ("/", reverse("plan_list"), reverse("search"), reverse("place_list")):
        assert anon.get(url).status_code == 200, url
    nav = anon.get("/").content.decode()
    assert reverse("portal:home") in nav and reverse("indicators:index") not in nav


# --- the portal --------------------------------------------------------------------------


def test_task_page_in_the_plans_own_words_with_the_page_link(world: World) -> None:
    task = world.published_list.tasks.exclude(clause=None).order_by("seq").first()
    assert task is not None and task.clause is not None
    page = Client().get(reverse("portal:task", args=[task.pk])).content.decode()
    assert task.title in page and task.clause.text[:20] in page
    href = reverse("node_detail", args=[world.south.slug, task.clause.key])
    assert href in page and f"原文第 {task.clause.page} 页" in page
    assert "宜宾市" in page and "light light-" in page
    plan_page = Client().get(href, follow=True).content.decode()
    assert f'id="n-{task.clause.key}"' in plan_page


def test_indicator_page_shows_verified_values_only(world: World) -> None:
    page = Client().get(reverse("portal:indicator", args=[world.indicator.pk])).content.decode()
    assert str(VERIFIED_VALUE) in page and str(UNVERIFIED_VALUE) not in page
    assert "15000.0" in page  # the target
    zone = Client().get(reverse("portal:zone", args=["south-sichuan"])).content.decode()
    assert str(VERIFIED_VALUE) in zone and str(UNVERIFIED_VALUE) not in zone


def test_project_page_with_yearly_figures_and_map(world: World) -> None:
    page = Client().get(reverse("portal:project", args=[world.project.pk])).content.decode()
    assert world.project.name in page and "52000" in page
    if world.project.source_page:
        assert f"原文第 {world.project.source_page} 页" in page
    zone = Client().get(reverse("portal:zone", args=["south-sichuan"])).content.decode()
    assert world.project.name in zone and "示意图" in zone


def test_zone_and_prefecture_pages(world: World) -> None:
    zone = Client().get(reverse("portal:zone", args=["south-sichuan"])).content.decode()
    for t in world.published_list.tasks.all():
        assert t.title in zone
    assert reverse("portal:prefecture", args=["511500"]) in zone
    yibin = Client().get(reverse("portal:prefecture", args=["511500"])).content.decode()
    assert world.published_list.tasks.first().title in yibin  # type: ignore[union-attr]
    chengdu = Client().get(reverse("portal:zone", args=["chengdu-plain"])).content.decode()
    assert reverse("portal:index_edition", args=[world.edition.pk]) in chengdu
    assert reverse("portal:index_edition", args=[world.hidden_edition.pk]) not in chengdu
    assert Client().get(reverse("portal:zone", args=["nowhere"])).status_code == 404
    assert Client().get(reverse("portal:prefecture", args=["999999"])).status_code == 404


def test_the_feed_is_atom_and_lists_what_is_public(world: World) -> None:
    r = Client().get(reverse("portal:feed"))
    assert r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) or "" for e in root.findall("a:entry", ns)]
    assert len(titles) == 4
    assert any(world.project.name in t for t in titles)
    links = [e.find("a:link", ns).get("href") for e in root.findall("a:entry", ns)]  # type: ignore[union-attr]
    assert all("/gongkai/" in (h or "") for h in links)


def test_pages_are_accessible_and_light(world: World) -> None:
    """lang, a skip link to the main landmark, one h1, no asset from another host, labelled
    charts; and the home page's queries stay few."""
    task = world.published_list.tasks.first()
    assert task is not None
    for url in (
        reverse("portal:home"),
        reverse("portal:zone", args=["south-sichuan"]),
        reverse("portal:task", args=[task.pk]),
        reverse("portal:indicator", args=[world.indicator.pk]),
        reverse("portal:project", args=[world.project.pk]),
        reverse("portal:index_edition", args=[world.edition.pk]),
    ):
        page = Client().get(url).content.decode()
        assert '<html lang="zh-hans">' in page and 'href="#main"' in page, url
        assert '<main id="main"' in page and page.count("<h1") == 1, url
        assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
        assert 'name="viewport"' in page
    for url, budget in (
        (reverse("portal:home"), 40),
        (reverse("portal:zone", args=["south-sichuan"]), 25),
        (reverse("portal:prefecture", args=["511500"]), 25),
    ):
        with CaptureQueriesContext(connection) as ctx:
            Client().get(url)
        assert len(ctx.captured_queries) <= budget, (url, len(ctx.captured_queries))


def test_participation_links_appear_only_when_provided(world: World, settings: Any) -> None:
    task = world.published_list.tasks.first()
    assert task is not None
    url = reverse("portal:task", args=[task.pk])
    page = Client().get(url).content.decode()
    for name, label in (("feedback:new", "我要留言"), ("surveys:public_index", "参与满意度评价")):
        try:
            reverse(name)
        except NoReverseMatch:
            assert label not in page  # the app is not installed (yet): no dead link
    settings.ROOT_URLCONF = "tests.portal.participation_urls"
    clear_url_caches()
    try:
        page = Client().get(url).content.decode()
        new = reverse("feedback:new")
        assert f"{new}?kind=task&amp;id={task.pk}" in page and "我要留言" in page
        assert reverse("surveys:public_index") in page and "参与满意度评价" in page
        project = Client().get(reverse("portal:project", args=[world.project.pk])).content
        assert f"kind=project&amp;id={world.project.pk}" in project.decode()
    finally:
        clear_url_caches()


def test_assessment_registers_its_kinds() -> None:
    from planwatch.publication.kinds import KINDS

    assert KINDS["index_edition"].model == "assessment.IndexEdition"
    assert KINDS["result_edition"].model == "assessment.ResultEdition"


def test_an_edition_not_published_inside_cannot_go_public(
    world: World, chengdu_planner_user: User
) -> None:
    from django.core.exceptions import ValidationError

    from planwatch.assessment.services import index_edition_compute
    from planwatch.publication.services import publish

    draft = index_edition_compute(
        method=world.edition.method, actor=chengdu_planner_user, year_to=2021
    )
    with pytest.raises(ValidationError):
        publish(actor=chengdu_planner_user, subject=draft)
    assert Client().get(reverse("portal:index_edition", args=[draft.pk])).status_code == 404


def test_the_map_counts_cities_as_the_project_page_does(world: World) -> None:
    from planwatch.portal.selectors import map_of
    from planwatch.projects.models import Project
    from planwatch.projects.selectors import project_cities

    projects = list(Project.objects.filter(plan=world.south))
    expected: dict[tuple[str, str], int] = {}
    for p in projects:
        for c in project_cities(p):
            key = (c["adcode"], c["name"])
            expected[key] = expected.get(key, 0) + 1
    got = {(c["adcode"], c["name"]): c["count"] for c in map_of(projects)["cities"]}
    assert got == expected and got
