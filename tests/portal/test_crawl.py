"""Acceptance (issue 13): an anonymous crawl of the portal — every link from its home, the
feed and what it links to, bounded — finds nothing unpublished: no unpublished task,
indicator or project by name, no unverified observation's value, no link to an unpublished
object's portal page (and those pages answer 404)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.portal.crawl import crawl
from tests.portal.world import VERIFIED_VALUE, World

pytestmark = pytest.mark.django_db


def test_the_anonymous_crawl_finds_nothing_unpublished(world: World) -> None:
    client = Client()
    result = crawl(client, ["/gongkai/", "/gongkai/feed.atom"], limit=500)
    assert not result.truncated, "the portal has more pages than the crawl's budget"
    assert not result.failures(), result.failures()
    urls = set(result.pages)
    # what was published was reached
    assert f"/gongkai/lists/{world.published_list.pk}/" in urls
    for t in world.published_list.tasks.all():
        assert f"/gongkai/tasks/{t.pk}/" in urls
    assert f"/gongkai/indicators/{world.indicator.pk}/" in urls
    assert f"/gongkai/projects/{world.project.pk}/" in urls
    assert f"/gongkai/index/{world.edition.pk}/" in urls
    assert any(p.text.count(str(VERIFIED_VALUE)) for p in result.pages.values())
    # nothing else was
    for secret in world.secrets:
        assert not result.containing(secret), (secret, result.containing(secret))
    hidden = {
        "tasks": [world.hidden_task.pk, *world.hidden_list.tasks.values_list("pk", flat=True)],
        "lists": [world.hidden_list.pk],
        "indicators": [world.hidden_indicator.pk],
        "projects": [world.hidden_project.pk],
        "index": [world.hidden_edition.pk],
    }
    for segment, ids in hidden.items():
        for pk in ids:
            url = f"/gongkai/{segment}/{pk}/"
            assert url not in urls
            assert client.get(url).status_code == 404
    # every portal object page reached is of a published object
    public_pages = re.compile(r"^/gongkai/(tasks|lists|indicators|projects|index|results)/\d+/$")
    assert all(result.pages[u].status == 200 for u in urls if public_pages.match(u))
    # the feed is Atom and names what was published
    feed = result.pages["/gongkai/feed.atom"]
    assert "application/atom+xml" in feed.content_type
    assert world.project.name in feed.text


def test_withdrawn_objects_leave_the_portal(world: World, chuannan_planner_user: object) -> None:
    from planwatch.publication.services import withdraw

    withdraw(actor=chuannan_planner_user, subject=world.project, reason="数据核实中")
    withdraw(actor=chuannan_planner_user, subject=world.published_list, reason="清单修订")
    result = crawl(Client(), ["/gongkai/", "/gongkai/feed.atom"])
    assert not result.failures()
    assert not result.containing(world.project.name)
    task = world.published_list.tasks.first()
    assert task is not None
    assert f"/gongkai/tasks/{task.pk}/" not in result.pages
    assert Client().get(f"/gongkai/projects/{world.project.pk}/").status_code == 404


def test_a_withdrawn_plan_takes_its_published_objects_off_the_portal(
    world: World, chuannan_planner_user: object
) -> None:
    from planwatch.plans.services import plan_unpublish

    plan_unpublish(plan=world.south, actor=chuannan_planner_user, reason="规划修订")
    result = crawl(Client(), ["/gongkai/", "/gongkai/feed.atom"])
    assert not result.failures(), result.failures()
    for name in (world.project.name, world.indicator.name, world.published_list.plan.title):
        assert not result.containing(name), name
    for t in world.published_list.tasks.all():
        assert not result.containing(t.title)


def test_the_crawl_reads_json_and_zipped_downloads() -> None:
    import io
    import json
    import zipfile

    from tests.portal.crawl import readable

    assert "宜宾" in readable(json.dumps({"name": "宜宾"}).encode(), "application/json")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/sharedStrings.xml", "<si><t>未公开项目</t></si>")
    assert "未公开项目" in readable(out.getvalue(), "application/vnd.openxmlformats")
