"""datapackage.json: a valid Frictionless (tabular) Data Package whose resources resolve to
the CSV files, which validate against their schemas; the index and dictionary pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import override_settings
from frictionless import Package, validate

from planwatch.portal.opendata.datasets import DATASETS
from tests.opendata.conftest import SECRET, World
from tests.opendata.test_downloads import get

pytestmark = pytest.mark.django_db


def test_the_package_validates_and_its_resources_resolve(
    world: World, client: Client, tmp_path: Path
) -> None:
    response = get(client, "/gongkai/data/datapackage.json")
    assert response.status_code == 200 and response["ETag"]
    package = json.loads(response.body)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["name"] for r in package["resources"]} == set(DATASETS)
    # the resources' paths are relative to the package's URL: fetch each from there
    for resource in package["resources"]:
        assert resource["format"] == "csv" and resource["mediatype"] == "text/csv"
        assert [f["name"] for f in resource["schema"]["fields"]] == DATASETS[
            resource["name"]
        ].field_names
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["description"] and field["type"]
        csv_response = get(client, "/gongkai/data/" + resource["path"])
        assert csv_response.status_code == 200
        (tmp_path / resource["path"]).write_bytes(csv_response.body)
    (tmp_path / "datapackage.json").write_bytes(response.body)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # and the rows read back through the package are the published ones
    tasks = Package(str(tmp_path / "datapackage.json")).get_resource("tasks").read_rows()
    assert [r["id"] for r in tasks] == [world.public_task.pk]


def test_the_empty_package_validates_too(db: None, client: Client, tmp_path: Path) -> None:
    response = get(client, "/gongkai/data/datapackage.json")
    package = json.loads(response.body)
    for resource in package["resources"]:
        body = get(client, "/gongkai/data/" + resource["path"]).body
        (tmp_path / resource["path"]).write_bytes(body)
    (tmp_path / "datapackage.json").write_bytes(response.body)
    assert validate(str(tmp_path / "datapackage.json")).valid


@override_settings(PLANWATCH_OPEN_DATA_LICENSE="CC0-1.0")
def test_the_licence_is_a_setting(world: World, client: Client) -> None:
    package = json.loads(get(client, "/gongkai/data/datapackage.json").body)
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert "CC0 1.0" in client.get("/gongkai/data/").content.decode()


def test_the_index_lists_every_dataset_with_counts_and_the_licence(
    world: World, client: Client
) -> None:
    page = client.get("/gongkai/data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    for name, dataset in DATASETS.items():
        assert dataset.title in html
        for fmt in ("csv", "json", "xlsx"):
            assert f'href="/gongkai/data/{name}.{fmt}"' in html
        assert f'href="/gongkai/data/{name}/"' in html
    assert SECRET not in html


def test_each_dictionary_page_names_every_field(world: World, client: Client) -> None:
    for name, dataset in DATASETS.items():
        html = client.get(f"/gongkai/data/{name}/").content.decode()
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in html and field.title in html


def test_the_pages_in_english(world: World, client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/gongkai/data/").content.decode()
    assert "Open data" in html and "Data dictionary" in html
    html = client.get("/gongkai/data/tasks/").content.decode()
    assert "Field name" in html and "Licence" in html


def test_every_page_links_to_the_open_data(db: None, client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/gongkai/data/"' in html


def test_the_export_command_writes_a_valid_package(world: World, tmp_path: Path) -> None:
    from django.core.management import call_command

    call_command("opendata_export", str(tmp_path / "out"), "--base-url", "https://example.org")
    out = tmp_path / "out"
    names = {p.name for p in out.iterdir()}
    assert "datapackage.json" in names
    for name in DATASETS:
        assert {f"{name}.csv", f"{name}.json", f"{name}.xlsx"} <= names
    assert validate(str(out / "datapackage.json")).valid
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))["data"]
    assert [t["id"] for t in tasks] == [world.public_task.pk]
    assert tasks[0]["clause_url"].startswith("https://example.org/plans/")
    assert SECRET not in (out / "tasks.csv").read_text(encoding="utf-8-sig")
