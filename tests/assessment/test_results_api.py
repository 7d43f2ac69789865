"""/api/v1/assessments through real bearer tokens: schemes, result editions and one edition
with each unit's item points and their sources (得分反查); drafts only for the province's
planners and each unit's own results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from planwatch.api.services import api_token_create
from planwatch.assessment import results, schemes
from planwatch.assessment.models import Series
from planwatch.tasks.models import AnnualList
from tests.factories import implementation as f
from tests.factories.implementation_fixtures import *  # noqa: F403


def _get(user: User | None, url: str) -> tuple[int, object]:
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {api_token_create(user=user, name='t', actor=None)[1]}"
    r = Client().get(url, headers=headers)
    return r.status_code, r.json()


def test_results_with_sources(
    issued: AnnualList,
    units: f.Units,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
    planner_user: User,
    panzhihua_reporter_user: User,
) -> None:
    prov = planner_user
    task = issued.tasks.order_by("seq").first()
    assert task is not None
    late = f.report_filed(
        task, units.yibin, yibin_reporter_user, 50,
        submitted_at=datetime(2024, 4, 20, 2, tzinfo=UTC),
    )  # fmt: skip
    scheme = schemes.scheme_copy(
        source=schemes.default_scheme(Series.PREFECTURES), year=2024, actor=prov
    )
    status, body = _get(yibin_reporter_user, "/api/v1/assessments/schemes")
    assert status == 200 and scheme.pk not in {s["id"] for s in body}  # a draft
    schemes.scheme_freeze(scheme=scheme, actor=prov)
    ed = results.result_compute(
        scheme=scheme, actor=prov, zone=units.chuannan, as_of=datetime(2024, 12, 31).date()
    )
    assert _get(None, "/api/v1/assessments/results")[0] == 401
    status, body = _get(yibin_reporter_user, f"/api/v1/assessments/results/{ed.pk}")
    assert status == 200
    assert [s["unit"] for s in body["scores"]] == [units.yibin.code]  # its own only
    score = body["scores"][0]
    assert sum(i["points"] for i in score["items"]) == pytest.approx(score["total"])
    for item in score["items"]:
        assert sum(s["points"] for s in item["sources"]) == pytest.approx(item["points"])
    reporting = next(i for i in score["items"] if i["code"] == "reporting")
    assert {"kind": "late_report", "ref": f"report:{late.pk}", "points": -10.0,
            "url": f"/reports/{late.pk}/"} .items() <= next(
        s for s in reporting["sources"] if s["kind"] == "late_report").items()  # fmt: skip
    status, body = _get(prov, f"/api/v1/assessments/results/{ed.pk}")
    assert {s["unit"] for s in body["scores"]} == {units.yibin.code, units.luzhou.code}
    # 泸州 does not see the edition's 宜宾 line; an outsider sees nothing of a draft
    status, body = _get(luzhou_reporter_user, f"/api/v1/assessments/results/{ed.pk}")
    assert [s["unit"] for s in body["scores"]] == [units.luzhou.code]
    other = panzhihua_reporter_user
    assert _get(other, f"/api/v1/assessments/results/{ed.pk}")[0] == 404
    assert _get(other, "/api/v1/assessments/results")[1] == []
    results.result_review(edition=ed, actor=prov)
    results.result_publish(edition=ed, actor=prov)
    status, body = _get(other, f"/api/v1/assessments/results?scheme={scheme.pk}")
    assert [e["id"] for e in body] == [ed.pk] and body[0]["status"] == "published"
    assert len(_get(other, f"/api/v1/assessments/results/{ed.pk}")[1]["scores"]) == 2
