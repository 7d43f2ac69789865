"""An anonymous crawl of the open data: every link of /gongkai/data/ and of the dataset
pages, every URL the API's dataset list names, the data package's resources and every page
of each API endpoint — none holds an unpublished object or an unverified value."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.opendata.conftest import SECRET, SECRET_VALUE, World
from tests.opendata.test_downloads import get

pytestmark = pytest.mark.django_db
ROOTS = ("/gongkai/data/", "/gongkai/data/datapackage.json", "/api/v1/public/datasets")
LIMIT = 60


def _text(url: str, response: object) -> str:
    body: bytes = response.body  # type: ignore[attr-defined]
    if url.endswith(".xlsx"):
        wb = load_workbook(io.BytesIO(body))
        return repr([list(ws.iter_rows(values_only=True)) for ws in wb.worksheets])
    return body.decode("utf-8-sig")


def _links(url: str, text: str) -> list[str]:
    found = re.findall(r'href="([^"#]+)"', text) if "/api/" not in url else []
    if url.endswith(".json") or "/api/" in url:
        found += re.findall(r'"(https?://testserver/[^"]+|/gongkai/[^"]+)"', text)
        found += [urljoin(url, p) for p in re.findall(r'"path": "([^"]+\.csv)"', text)]
    out = []
    for link in found:
        parts = urlsplit(urljoin(url, link))
        if parts.netloc in ("", "testserver") and parts.path.startswith(
            ("/gongkai/data/", "/api/v1/public/")
        ):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def test_nothing_unpublished_anywhere(world: World, client: Client) -> None:
    seen: set[str] = set()
    queue = list(ROOTS)
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = get(client, url)
        assert response.status_code == 200, url
        text = _text(url, response)
        assert SECRET not in text, url
        assert str(SECRET_VALUE) not in text, url
        queue += _links(url, text)
    for name in ("tasks", "observations", "projects", "index-values", "assessment-scores"):
        offset = 0
        while True:
            page = json.loads(get(client, f"/api/v1/public/{name}?limit=1&offset={offset}").body)
            assert SECRET not in json.dumps(page, ensure_ascii=False)
            if not page["items"]:
                break
            offset += 1
    # the crawl reached every download and dictionary page
    for name in ("tasks", "observations", "projects", "index_values", "assessment_scores"):
        assert {f"/gongkai/data/{name}.{fmt}" for fmt in ("csv", "json", "xlsx")} <= seen
        assert f"/gongkai/data/{name}/" in seen
