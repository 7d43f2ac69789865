"""The plan pages: public to read (anonymous, any role), upload for planners only; query
budgets on the list pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from planwatch.plans import services
from planwatch.plans.models import Plan, SourceDocument
from planwatch.plans.services import IngestResult
from tests.factories.plans import SOUTH_TITLE, db_snapshot, ingest_sample, sample_parse

pytestmark = pytest.mark.django_db

READERS = ["anon", "yibin_reporter", "luzhou_reporter", "leader", "planner"]


def _south(result: IngestResult) -> Plan:
    return result.versions[0].plan


def _get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("persona", READERS)
def test_home_lists_plans_with_counts_for_everyone(
    request: pytest.FixtureRequest, persona: str, sample_plans: IngestResult
) -> None:
    client: Client = request.getfixturevalue(persona)
    html = _get(client, reverse("home"))
    assert SOUTH_TITLE in html
    assert reverse("place_detail", args=["511500"]) in html  # covered city links to its page
    assert "专栏" in html


def test_home_query_budget(
    anon: Client, sample_plans: IngestResult, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        _get(anon, reverse("home"))
    with django_assert_max_num_queries(6):
        _get(anon, reverse("plan_list"))


@pytest.mark.parametrize("persona", READERS)
def test_plan_page_shows_the_table_of_contents(
    request: pytest.FixtureRequest, persona: str, sample_plans: IngestResult
) -> None:
    client: Client = request.getfixturevalue(persona)
    plan = _south(sample_plans)
    html = _get(client, reverse("plan_detail", args=[plan.slug]))
    assert "第二章" in html and "做强中心城市" in html
    assert reverse("node_detail", args=[plan.slug, "c2.s1"]) in html


def test_missing_plan_is_404(anon: Client, planner: Client, sample_plans: IngestResult) -> None:
    for client in (anon, planner):
        _get(client, reverse("plan_detail", args=["no-such-plan"]), 404)
        _get(client, reverse("plan_targets", args=["no-such-plan"]), 404)
    plan = _south(sample_plans)
    _get(anon, reverse("node_detail", args=[plan.slug, "c99"]), 404)
    _get(anon, reverse("plan_detail", args=[plan.slug]) + "?v=9", 404)


@pytest.mark.parametrize("persona", ["anon", "yibin_reporter"])
def test_section_page_in_the_plans_own_words(
    request: pytest.FixtureRequest, persona: str, sample_plans: IngestResult
) -> None:
    client: Client = request.getfixturevalue(persona)
    plan = _south(sample_plans)
    html = _get(client, reverse("node_detail", args=[plan.slug, "c2.s1"]))
    assert "提升宜宾泸州发展能级。" in html  # the lead sentence, with its 。
    assert "推动宜宾、泸州组团发展" in html
    assert "原文第 4 页" in html  # provision at line 120 → page 4
    assert "专栏 1" in html and 'class="chip chip-project">成自宜高铁' in html
    assert 'id="n-c2.s1.b1.i1"' in html
    assert reverse("plan_source", args=[plan.slug]) + "?line=132" in html


def test_a_provision_url_leads_to_its_section_at_its_anchor(
    anon: Client, sample_plans: IngestResult
) -> None:
    plan = _south(sample_plans)
    response = anon.get(reverse("node_detail", args=[plan.slug, "c2.s1.p1"]))
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("node_detail", args=[plan.slug, "c2.s1"]) + "#n-c2.s1.p1"
    )


@pytest.mark.parametrize("persona", ["anon", "luzhou_reporter", "planner"])
def test_targets_page(
    request: pytest.FixtureRequest,
    persona: str,
    sample_plans: IngestResult,
    django_assert_max_num_queries: Any,
) -> None:
    client: Client = request.getfixturevalue(persona)
    plan = _south(sample_plans)
    with django_assert_max_num_queries(10):
        html = _get(client, reverse("plan_targets", args=[plan.slug]))
    assert "森林覆盖率" in html and "约束性" in html and "≥45%" in html
    assert "8000亿元" in html  # the baseline, printed as the plan prints it


def test_versions_and_diff_pages(anon: Client, planner: Client, sample_plans: IngestResult) -> None:
    ingest_sample(revised=True)
    plan = _south(sample_plans)
    for client in (anon, planner):
        html = _get(client, reverse("plan_versions", args=[plan.slug]))
        assert "v2" in html and "新增 2，删除 1，修改 2" in html
        html = _get(client, reverse("plan_version_diff", args=[plan.slug, 2]))
        assert "保障措施" in html  # added chapter
        assert "川南经济区包括自贡" in html  # removed paragraph, shown from version 1
        # The changed provision, its insertions marked.
        assert '<ins class="diff-new">加快</ins>建设成自宜高铁' in html
    _get(anon, reverse("plan_version_diff", args=[plan.slug, 7]), 404)
    # The old version is still readable, marked as not current.
    html = _get(anon, reverse("node_detail", args=[plan.slug, "c1"]) + "?v=1")
    assert "不是现行版本" in html and "川南经济区包括自贡" in html


def test_source_page_shows_numbered_lines(anon: Client, sample_plans: IngestResult) -> None:
    plan = _south(sample_plans)
    html = _get(anon, reverse("plan_source", args=[plan.slug]) + "?line=132")
    assert 'id="L132"' in html and "第 132 行" in html
    assert 'class="source-line hl" id="L132"' in html


# --- upload -----------------------------------------------------------------------------


def _upload(client: Client, *files: tuple[str, bytes], htmx: bool = False) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {"documents": [SimpleUploadedFile(name, data) for name, data in files]}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("plan_upload"), payload, headers=headers)


def test_upload_page_needs_a_planner(
    anon: Client, yibin_reporter: Client, leader: Client, planner: Client, orgunits: Any
) -> None:
    url = reverse("plan_upload")
    response = anon.get(url)
    assert response.status_code == 302 and reverse(settings.LOGIN_URL) in response["Location"]
    for client in (yibin_reporter, leader):
        _get(client, url, 404)
        assert _upload(client, ("x.txt", b"abc")).status_code == 404
    html = _get(planner, url)
    assert 'type="file"' in html and "multiple" in html and "hx-post" in html


def test_upload_ingests_several_files_and_shows_each_outcome(
    planner: Client, orgunits: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, parsed = sample_parse()
    real_parse = services.parse_bytes

    def fake_parse(raw: bytes, *, name: str, format: str | None = None) -> Any:
        return parsed if raw == data else real_parse(raw, name=name)

    monkeypatch.setattr(services, "parse_bytes", fake_parse)
    response = _upload(planner, ("sample.txt", data), ("empty.txt", b""), htmx=True)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # the partial only
    assert "已导入" in html and SOUTH_TITLE in html
    assert "失败" in html and "empty.txt" in html
    assert SourceDocument.objects.filter(name="sample.txt").exists()
    # The same file again: already present, nothing changed.
    before = db_snapshot()
    html = _upload(planner, ("sample.txt", data)).content.decode()
    assert "已存在" in html and "<html" in html  # without htmx: the whole page
    assert db_snapshot() == before


def test_upload_of_a_bad_file_changes_nothing(planner: Client, orgunits: Any) -> None:
    before = db_snapshot()
    html = _upload(planner, ("garbage.bin", b"\x00\x01\x02" * 100), htmx=True).content.decode()
    assert "失败" in html and "garbage.bin" in html
    assert db_snapshot() == before


def test_upload_without_a_file_shows_the_form_error(planner: Client, orgunits: Any) -> None:
    response = planner.post(reverse("plan_upload"), {}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "alert-error" in response.content.decode()


# --- the bundled plans ------------------------------------------------------------------


def test_bundled_home_page_shows_five_plans(anon: Client, bundled_plans: list[Plan]) -> None:
    html = _get(anon, reverse("home"))
    for title in ("成都平原经济区", "川南经济区", "川东北经济区", "攀西经济区", "川西北生态示范区"):
        assert title in html


def test_bundled_chengziyi_box_item_has_its_project_chip(
    anon: Client, bundled_plans: list[Plan]
) -> None:
    south = next(p for p in bundled_plans if p.slug == "south-sichuan")
    assert south.current_version is not None
    items = south.current_version.nodes.filter(kind="box_item")
    node = next(n for n in items if "成自宜高铁" in n.projects)
    _get(anon, reverse("node_detail", args=[south.slug, node.key]), 302)
    response = anon.get(reverse("node_detail", args=[south.slug, node.key]), follow=True)
    html = response.content.decode()
    assert f'id="n-{node.key}"' in html and "成自宜高铁" in html and "原文第" in html


# --- the base template ------------------------------------------------------------------


def test_base_template_nav_and_htmx_for_anonymous_visitors(
    anon: Client, sample_plans: IngestResult
) -> None:
    response = anon.get(reverse("home"), headers={"Accept-Language": "zh-CN"})
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    for label in ("首页", "规划", "地区", "登录"):
        assert f">{label}</a>" in html
    assert "/static/vendor/htmx.org/dist/htmx.min.js" in html
    assert 'name="viewport"' in html
    assert "导入规划" not in html  # planner-only link
    assert "Content-Security-Policy" in response.headers


def test_planners_see_the_upload_link(
    planner: Client, yibin_reporter: Client, orgunits: Any
) -> None:
    assert reverse("plan_upload") in planner.get(reverse("home")).content.decode()
    assert reverse("plan_upload") not in yibin_reporter.get(reverse("home")).content.decode()


def test_language_switch(anon: Client, orgunits: Any) -> None:
    response = anon.post(reverse("set_language"), {"language": "en", "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert '<html lang="en">' in anon.get(reverse("plan_list")).content.decode()
    anon.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in anon.get(reverse("home")).content.decode()


def test_pages_have_no_inline_scripts_styles_or_handlers(
    planner: Client, sample_plans: IngestResult
) -> None:
    """The content security policy forbids them: they would silently not work."""
    import re

    plan = _south(sample_plans)
    ingest_sample(revised=True)
    urls = [
        reverse("home"),
        reverse("plan_list"),
        reverse("plan_detail", args=[plan.slug]),
        reverse("node_detail", args=[plan.slug, "c2"]),
        reverse("plan_targets", args=[plan.slug]),
        reverse("plan_versions", args=[plan.slug]),
        reverse("plan_version_diff", args=[plan.slug, 2]),
        reverse("plan_source", args=[plan.slug]),
        reverse("plan_upload"),
        reverse("place_list"),
        reverse("place_detail", args=["511500"]),
        reverse("zone_detail", args=["south-sichuan"]),
    ]
    for url in urls:
        html = _get(planner, url)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"<style", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_text_runs_mark_deletions_and_insertions() -> None:
    from planwatch.plans.selectors import text_runs

    assert text_runs("推动宜宾发展", "推动宜宾泸州发展") == [
        ("same", "推动宜宾"),
        ("ins", "泸州"),
        ("same", "发展"),
    ]
    assert text_runs("甲乙", "甲丙") == [("same", "甲"), ("del", "乙"), ("ins", "丙")]


def test_bundled_pages_are_grounded_and_within_query_budgets(
    anon: Client, bundled_plans: list[Plan], django_assert_max_num_queries: Any
) -> None:
    south = next(p for p in bundled_plans if p.slug == "south-sichuan")
    assert south.current_version is not None
    chapter = south.current_version.nodes.get(key="c7")
    with django_assert_max_num_queries(12):
        html = _get(anon, reverse("node_detail", args=[south.slug, "c7"]))
    assert chapter.title in html and html.count("原文第") > 10
    with django_assert_max_num_queries(10):
        _get(anon, reverse("plan_targets", args=[south.slug]))
    with django_assert_max_num_queries(8):
        _get(anon, reverse("plan_detail", args=[south.slug]))
    # “原文第 N 页” links to the line the node starts on, and that line holds its words.
    item = next(n for n in south.current_version.nodes.filter(kind="box_item") if n.title == "铁路")
    html = _get(anon, reverse("plan_source", args=[south.slug]) + f"?line={item.line}")
    line_html = html.split(f'id="L{item.line}"')[1].split("</div>")[0]
    assert "铁路" in line_html


def test_missing_pages_use_the_site_404_page(anon: Client, orgunits: Any) -> None:
    html = _get(anon, "/plans/no-such-plan/", 404)
    assert "页面不存在" in html and reverse("home") in html


def test_first_version_diff_page_says_there_is_nothing_to_compare(
    anon: Client, sample_plans: IngestResult
) -> None:
    plan = _south(sample_plans)
    assert "首个版本" in _get(anon, reverse("plan_version_diff", args=[plan.slug, 1]))


def test_chinese_first_whatever_the_browser_prefers(anon: Client, orgunits: Any) -> None:
    html = anon.get(reverse("home"), headers={"Accept-Language": "en-US,en;q=0.9"}).content
    assert '<html lang="zh-hans">' in html.decode() and ">首页</a>" in html.decode()


def test_english_is_available(anon: Client, sample_plans: IngestResult) -> None:
    anon.post(reverse("set_language"), {"language": "en", "next": "/"})
    plan = _south(sample_plans)
    html = _get(anon, reverse("home"))
    assert ">Home</a>" in html and ">Places</a>" in html and "Chapters" in html
    html = _get(anon, reverse("node_detail", args=[plan.slug, "c2.s1"]))
    assert "Source p. 4" in html and "提升宜宾泸州发展能级" in html  # the plan keeps its words


def test_upload_page_lists_recent_documents_with_their_warnings(
    planner: Client, sample_plans: IngestResult, django_assert_max_num_queries: Any
) -> None:
    SourceDocument.objects.filter(pk=sample_plans.document.pk).update(
        warnings=[{"code": "toc-body-mismatch", "message": "目录与正文不一致", "line": 7}]
    )
    with django_assert_max_num_queries(10):
        html = _get(planner, reverse("plan_upload"))
    assert "导入记录" in html and "sample.txt" in html and "目录与正文不一致" in html
    assert f"{SOUTH_TITLE} v1" in html
