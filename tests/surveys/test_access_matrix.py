"""Every surveys page for every kind of visitor: the public pages answer anyone (a draft is
"not found" alike for all), the planners' pages answer only the planners whose scope covers
the survey; a refusal of a POST changes nothing. A page added without a row here fails
`test_every_page_is_in_the_matrix`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from planwatch.audit.models import AuditEvent
from planwatch.surveys.models import Question, Survey

pytestmark = pytest.mark.django_db

# name → (method, path format, {persona: expected status}); personas: anon, reporter
# (宜宾), outsider (攀西 planner), planner (川南 planner). {d}: a draft survey, {o}: an open one.
EVERYONE = ("anon", "reporter", "outsider", "planner")
PUBLIC = dict.fromkeys(EVERYONE, 200)
HIDDEN = dict.fromkeys(EVERYONE, 404)
PLANNERS = {"anon": 302, "reporter": 403, "outsider": 200, "planner": 200}
SCOPED = {"anon": 302, "reporter": 404, "outsider": 404, "planner": 200}
SCOPED_POST = {**SCOPED, "planner": 302}
PAGES: dict[str, tuple[str, str, dict[str, int]]] = {
    "public_index": ("get", "/gongkai/wenjuan/", PUBLIC),
    "public_detail": ("get", "/gongkai/wenjuan/{o}/", PUBLIC),
    "public_thanks": ("get", "/gongkai/wenjuan/{d}/xiexie/", HIDDEN),  # a draft
    "public_results": ("get", "/gongkai/wenjuan/{o}/jieguo/", HIDDEN),  # not published
    "index": ("get", "/surveys/", PLANNERS),
    "new": ("get", "/surveys/new/", PLANNERS),
    "detail": ("get", "/surveys/{d}/", SCOPED),
    "export": ("get", "/surveys/{o}/results.xlsx", SCOPED),
    "edit": ("post", "/surveys/{d}/edit/", SCOPED_POST),
    "question_add": ("post", "/surveys/{d}/questions/", SCOPED_POST),
    "question_delete": ("post", "/surveys/{d}/questions/{q}/delete/", SCOPED_POST),
    "open": ("post", "/surveys/{d}/open/", SCOPED_POST),
    "close": ("post", "/surveys/{o}/close/", SCOPED_POST),
    "publish": ("post", "/surveys/{o}/publish/", SCOPED_POST),
    "withdraw": ("post", "/surveys/{o}/withdraw/", SCOPED_POST),
}
ORDER = ("anon", "reporter", "outsider", "planner")  # the planner last: it changes things


def _names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= _names(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name and namespace == "surveys":
            names.add(p.name)
    return names


def test_every_page_is_in_the_matrix() -> None:
    assert _names(get_resolver().url_patterns) == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_matrix(
    name: str,
    survey: Survey,
    open_survey_2: Survey,
    anon: Client,
    yibin_reporter: Client,
    panxi_planner: Client,
    chuannan_planner: Client,
) -> None:
    q = Question.objects.create(survey=survey, text="问", kind="text")
    clients = {"anon": anon, "reporter": yibin_reporter, "outsider": panxi_planner,
               "planner": chuannan_planner}  # fmt: skip
    method, fmt, expected = PAGES[name]
    url = fmt.format(d=survey.pk, o=open_survey_2.pk, q=q.pk)
    for who in ORDER:
        before = AuditEvent.objects.count()
        data = {"reason": "核实", "title": "改名", "year": "2024", "text": "新问题", "kind": "text"}
        response = (
            getattr(clients[who], method)(url, data) if method == "post" else clients[who].get(url)
        )
        assert response.status_code == expected[who], (who, url, response.status_code)
        if method == "post" and who != "planner":
            assert AuditEvent.objects.count() == before, (who, url)  # nothing changed
