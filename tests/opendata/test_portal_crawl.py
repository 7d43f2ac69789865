"""The portal's anonymous crawl (tests/portal/crawl.py, when the portal is present) run over
the open data: from the data index, the data package, every download and every public API
endpoint, following the links under /gongkai/data/ — no failure, nothing unpublished."""

from __future__ import annotations

import pytest
from django.test import Client

from planwatch.portal.opendata.datasets import DATASETS
from tests.opendata.conftest import SECRET, SECRET_VALUE, World

crawl_module = pytest.importorskip("tests.portal.crawl")
pytestmark = pytest.mark.django_db

API = ("datasets", "tasks", "observations", "projects", "index-values", "assessment-scores")


def start_urls() -> list[str]:
    """The open data's URLs, for any crawl of the public side."""
    urls = ["/gongkai/data/", "/gongkai/data/datapackage.json"]
    for name in DATASETS:
        urls += [f"/gongkai/data/{name}/"]
        urls += [f"/gongkai/data/{name}.{fmt}" for fmt in ("csv", "json")]
    return urls + [f"/api/v1/public/{path}" for path in API]


def test_the_portal_crawl_finds_nothing_unpublished(world: World, client: Client) -> None:
    result = crawl_module.crawl(client, start_urls(), follow=("/gongkai/data/",), limit=200)
    assert not result.truncated
    assert result.failures() == []
    assert result.containing(SECRET) == []
    assert result.containing(str(SECRET_VALUE)) == []
    assert set(start_urls()) <= set(result.pages)
