"""Each dataset in each format, to an anonymous visitor: only published objects and verified
observations, the data dictionary with every file, conditional requests, withdrawal."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from planwatch.portal.opendata.datasets import DATASETS
from planwatch.publication.services import withdraw
from tests.opendata.conftest import SECRET, SECRET_VALUE, World

pytestmark = pytest.mark.django_db
NAMES = sorted(DATASETS)


def get(client: Client, url: str, **headers: Any) -> Any:
    response = client.get(url, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.body = body
    return response


def csv_rows(client: Client, name: str) -> list[dict[str, str]]:
    response = get(client, f"/gongkai/data/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.body.startswith(b"\xef\xbb\xbf")
    text = response.body.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == DATASETS[name].field_names
    return list(reader)


def json_doc(client: Client, name: str) -> dict[str, Any]:
    response = get(client, f"/gongkai/data/{name}.json")
    assert response.status_code == 200
    doc: dict[str, Any] = json.loads(response.body)
    return doc


def xlsx_sheets(client: Client, name: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    response = get(client, f"/gongkai/data/{name}.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.body))
    assert wb.sheetnames == ["数据", "数据字典"]
    return list(wb["数据"].iter_rows(values_only=True)), list(
        wb["数据字典"].iter_rows(values_only=True)
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_format_holds_the_published_rows_only(
    world: World, client: Client, name: str
) -> None:
    rows = csv_rows(client, name)
    doc = json_doc(client, name)
    data, dictionary = xlsx_sheets(client, name)
    dataset = DATASETS[name]
    assert rows, name
    assert len(doc["data"]) == len(rows) == len(data) - 1 == dataset.count()
    assert [f["name"] for f in doc["fields"]] == dataset.field_names
    assert doc["license"]["name"] == "CC-BY-4.0"
    assert data[0] == tuple(f.title for f in dataset.fields)
    assert [r[0] for r in dictionary[1 : 1 + len(dataset.fields)]] == dataset.field_names
    blob = json.dumps(doc, ensure_ascii=False) + json.dumps(rows, ensure_ascii=False) + repr(data)
    assert SECRET not in blob
    assert str(SECRET_VALUE) not in blob


def test_tasks_rows(world: World, client: Client) -> None:
    rows = csv_rows(client, "tasks")
    assert [int(r["id"]) for r in rows] == [world.public_task.pk]
    row = rows[0]
    task = world.public_task
    assert row["title"] == task.title and row["year"] == "2024"
    assert set(row["responsible_units"].split("、")) == {"宜宾市", "泸州市"}
    assert row["deadline"] == "2024-12-31" and row["status"] == "实施中"
    assert row["light"] in {"绿灯", "蓝灯", "黄灯", "红灯"}
    assert task.clause is not None
    assert row["clause_page"] == (str(task.clause.page) if task.clause.page else "")
    assert row["clause_url"].endswith(f"/plans/{task.plan.slug}/n/{task.clause.key}/")
    assert row["clause_url"].startswith("http://testserver/")
    # the clause link works for the anonymous visitor
    page = client.get(row["clause_url"].removeprefix("http://testserver"), follow=True)
    assert page.status_code == 200


def test_observations_only_verified_with_targets(world: World, client: Client) -> None:
    rows = csv_rows(client, "observations")
    assert len(rows) == 1
    row = rows[0]
    assert row["indicator"] == "地区生产总值公开指标" and row["place"] == "宜宾市"
    assert row["place_code"] == "511500" and row["value"] == "3400.5"
    assert row["unit"] == "亿元" and row["target_value"] == "4500"  # the 宜宾 share
    assert row["attribute"] == "约束性" and row["source"] == "统计公报"
    assert row["verified_at"].endswith("Z")


def test_projects_one_row_a_year_with_accepted_figures(world: World, client: Client) -> None:
    rows = csv_rows(client, "projects")
    assert [(r["name"], r["year"]) for r in rows] == [
        ("宜宾至泸州城际铁路公开项目", "2024"),
        ("宜宾至泸州城际铁路公开项目", "2025"),
    ]
    y2024, y2025 = rows
    # the latest accepted report (June), not the draft of July
    assert y2024["annual_plan"] == "1000" and y2024["completed_investment"] == "400"
    assert y2024["completion_rate"] == "40" and y2024["reported_to_month"] == "6"
    assert y2025["completed_investment"] == "" and y2025["annual_plan"] == "2000"
    assert y2024["total_investment"] == "250000" and y2024["sector"] == "基础设施"


def test_index_and_scores(world: World, client: Client) -> None:
    index = csv_rows(client, "index_values")
    assert {(r["code"], r["name"], r["value"]) for r in index} == {
        ("TOTAL", "一体化发展指数", "103.5"),
        ("D1", "基础设施互联互通", "101.25"),
    }
    assert {r["index"] for r in index} == {"川南一体化发展指数"}
    scores = csv_rows(client, "assessment_scores")
    assert [(r["unit"], r["total"], r["grade"], r["rank"]) for r in scores] == [
        ("宜宾市", "91.5", "优秀", "1"),
        ("泸州市", "85", "良好", "2"),
    ]
    assert scores[0]["vetoed"] == "false"


def test_an_edition_published_but_not_in_force_is_not_shown(world: World, client: Client) -> None:
    """A live publication of an edition no longer in the published state shows nothing."""
    world.index_edition.status = "draft"
    world.index_edition.save()
    assert csv_rows(client, "index_values") == []


def test_withdrawing_removes_the_rows(
    world: World, client: Client, chuannan_planner_user: User
) -> None:
    assert len(csv_rows(client, "tasks")) == 1
    withdraw(actor=chuannan_planner_user, subject=world.public_task, reason="核实中")
    withdraw(actor=chuannan_planner_user, subject=world.indicator, reason="核实中")
    withdraw(actor=chuannan_planner_user, subject=world.project, reason="核实中")
    assert csv_rows(client, "tasks") == []
    assert csv_rows(client, "observations") == []
    assert csv_rows(client, "projects") == []
    assert json_doc(client, "tasks")["data"] == []


def test_publishing_the_list_publishes_all_its_tasks(
    world: World, client: Client, chuannan_planner_user: User
) -> None:
    from planwatch.publication.services import publish

    publish(actor=chuannan_planner_user, subject=world.annual_list)
    assert len(csv_rows(client, "tasks")) == world.annual_list.tasks.count()


def test_conditional_get_and_cache_headers(
    world: World, client: Client, chuannan_planner_user: User
) -> None:
    first = get(client, "/gongkai/data/tasks.csv")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = get(client, "/gongkai/data/tasks.csv", if_none_match=etag)
    assert again.status_code == 304 and again.body == b""
    assert get(client, "/gongkai/data/tasks.csv", if_modified_since=modified).status_code == 304
    assert get(client, "/gongkai/data/tasks.json")["ETag"] != etag
    withdraw(actor=chuannan_planner_user, subject=world.public_task, reason="核实中")
    changed = get(client, "/gongkai/data/tasks.csv", if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_csv_text_that_looks_like_a_formula_is_defused(world: World, client: Client) -> None:
    from planwatch.tasks.models import Task

    Task.objects.filter(pk=world.public_task.pk).update(title='=HYPERLINK("http://x","点击")')
    row = csv_rows(client, "tasks")[0]
    assert row["title"] == '\'=HYPERLINK("http://x","点击")'
    data, _dic = xlsx_sheets(client, "tasks")
    assert data[1][4] == '=HYPERLINK("http://x","点击")'  # a text cell, not a formula


def test_unknown_dataset_or_format_is_404(world: World, client: Client) -> None:
    assert client.get("/gongkai/data/users.csv").status_code == 404
    assert client.get("/gongkai/data/tasks.pdf").status_code == 404
    assert client.get("/gongkai/data/users/").status_code == 404
    assert client.post("/gongkai/data/tasks.csv").status_code == 405


def test_files_are_chinese_whatever_the_language(world: World, client: Client) -> None:
    client.cookies["django_language"] = "en"
    assert csv_rows(client, "tasks")[0]["status"] == "实施中"


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert get(client, url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_queries_do_not_grow_with_the_rows(
    world: World, client: Client, chuannan_planner_user: User, fmt: str
) -> None:
    from planwatch.publication.services import publish

    one = _queries(client, f"/gongkai/data/tasks.{fmt}")
    publish(actor=chuannan_planner_user, subject=world.annual_list)
    assert len(csv_rows(client, "tasks")) > 3
    assert _queries(client, f"/gongkai/data/tasks.{fmt}") == one


def test_a_value_that_is_not_a_number_is_written_as_missing(world: World, client: Client) -> None:
    from planwatch.assessment.models import IndexValue

    IndexValue.objects.filter(edition=world.index_edition, code="D1").update(value=float("nan"))
    rows = {r["code"]: r["value"] for r in csv_rows(client, "index_values")}
    assert rows == {"TOTAL": "103.5", "D1": ""}
    values = {r["code"]: r["value"] for r in json_doc(client, "index_values")["data"]}
    assert values == {"TOTAL": 103.5, "D1": None}


def test_a_plan_withdrawn_takes_its_rows_with_it(world: World, client: Client) -> None:
    from planwatch.plans.models import Plan

    Plan.objects.filter(pk=world.annual_list.plan_id).update(status="draft")
    for name in ("tasks", "observations", "projects", "index_values"):
        assert csv_rows(client, name) == [], name
