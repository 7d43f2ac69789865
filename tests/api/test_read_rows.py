"""The hot list reads of the API (/tasks, /reports, /cases, /public/tasks) build their rows as
plain dicts from one page of ids and render them without a pass through the response schema
(issue 15 item 3). Their bytes must be what the schema-validated path gives — the objects of
the same page through `task_out`, `report_out`, `case_out` (or the open-data rows), validated
by the operation's page schema and rendered by the API's renderer — for every kind of caller,
every page, and subjects of every kind; and their query count must not grow with the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Q
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from planwatch.api.api import api
from planwatch.api.implementation.common import case_out, page, report_out, task_out
from planwatch.api.implementation_schemas import CasePage, ReportPage, TaskPage
from planwatch.api.public_data import TaskPage as PublicTaskPage
from planwatch.api.public_data import _page
from planwatch.api.services import api_token_create
from planwatch.orgunits.models import OrgUnit
from planwatch.portal.opendata.datasets import TASKS
from planwatch.publication.services import publish
from planwatch.reports.selectors import report_list_for
from planwatch.supervision.choices import Light
from planwatch.supervision.models import SupervisionCase
from planwatch.supervision.selectors import case_list_for
from planwatch.supervision.services import case_open
from planwatch.tasks.selectors import task_list_for
from tests.api.test_implementation import World, _report, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
API = "/api/v1"
CALLERS = (
    "planner_user",
    "leader_user",
    "chuannan_leader_user",
    "yibin_reporter_user",
    "luzhou_reporter_user",
    "admin_user",
)
PAGES = ((50, 0), (1, 0), (2, 1), (3, 2), (500, 0), (5, 10_000))


def rendered(schema: Any, payload: dict[str, Any]) -> bytes:
    """What the operation gave before: the payload validated by its page schema, dumped and
    rendered by the API's renderer."""
    request = RequestFactory().get("/")
    dumped = schema.model_validate(payload).model_dump()
    return api.create_response(request, dumped, status=200).content


def token_client(user: User) -> Client:
    secret = api_token_create(user=user, name="test", actor=None)[1]
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def subject_cases(world: World, planner_user: User, persona_units: dict[str, OrgUnit]) -> None:  # noqa: F811
    """Cases without a task, on subjects of two kinds (one with a page, one without) and on a
    subject that is gone, so that the list's subject columns are all exercised: two older
    ones on units, then the newest three on the plan, a unit and the gone subject."""
    plan = world.annual_list.plan
    yibin = persona_units["511500"]
    older = (persona_units["510100"], persona_units["zone:chengdu-plain"])
    for subject in (*older, plan, yibin, persona_units["510500"]):
        case_open(
            subject=subject, plan=plan, title=f"关于{subject}", light=Light.RED,
            reason="x", actor=planner_user, unit=yibin, year=2024,
        )  # fmt: skip
    gone = SupervisionCase.objects.get(subject_id=persona_units["510500"].pk, task__isnull=True)
    SupervisionCase.objects.filter(pk=gone.pk).update(subject_id=2_000_000_000)


def expected_pages() -> dict[str, tuple[Any, Callable[..., Any], Callable[..., Any]]]:
    return {
        "/tasks": (TaskPage, lambda user: task_list_for(user=user), task_out),
        "/reports": (ReportPage, lambda user: report_list_for(user=user), report_out),
        "/cases": (
            CasePage,
            lambda user: case_list_for(user=user).order_by("-opened_at", "-pk"),
            case_out,
        ),
    }


@pytest.mark.usefixtures("subject_cases")
@pytest.mark.parametrize("who", CALLERS)
def test_list_rows_are_the_bytes_of_the_schema_path(
    world: World,  # noqa: F811
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    user = request.getfixturevalue(who)
    client = token_client(user)
    seen_subjects = False
    for path, (schema, selector, out) in expected_pages().items():
        qs = selector(user)
        count = qs.count()
        for limit, offset in PAGES:
            response = client.get(f"{API}{path}?limit={limit}&offset={offset}")
            assert response.status_code == 200, (path, response.content[:300])
            assert response["Content-Type"] == "application/json; charset=utf-8"
            objects = list(qs[offset : offset + limit])
            payload = page([out(o) for o in objects], count, limit, offset)
            assert response.content == rendered(schema, payload), (who, path, limit, offset)
            if path == "/cases":
                seen_subjects |= any(c.task_id is None for c in objects)
    if who in ("planner_user", "admin_user"):
        assert seen_subjects  # the subject cases were in the pages compared


def test_cases_of_the_same_instant_page_without_repeats(
    world: World,  # noqa: F811
    planner_user: User,
    subject_cases: None,
) -> None:
    """Cases opened at the same instant come newest id first, so that paging through them
    one by one gives each case once."""
    SupervisionCase.objects.update(opened_at=world.case.opened_at)
    client = token_client(planner_user)
    everything = client.get(f"{API}/cases?limit=500").json()
    ids = [c["id"] for c in everything["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 4
    one_by_one = [
        client.get(f"{API}/cases?limit=1&offset={i}").json()["items"][0]["id"]
        for i in range(len(ids))
    ]
    assert one_by_one == ids


def test_public_tasks_are_the_bytes_of_the_schema_path(world: World) -> None:  # noqa: F811
    publish(actor=None, subject=world.annual_list, note="2024年清单")
    anonymous = Client()
    request = RequestFactory().get("/")
    assert TASKS.count() > 3
    for limit, offset in PAGES:
        for query in ("", f"&year=2024&plan={world.annual_list.plan_id}", "&year=2023"):
            response = anonymous.get(f"{API}/public/tasks?limit={limit}&offset={offset}{query}")
            assert response.status_code == 200
            filters: list[Q] = []
            if query.startswith("&year=2024"):
                filters = [Q(year=2024), Q(plan_id=world.annual_list.plan_id)]
            elif query:
                filters = [Q(year=2023)]
            payload = _page(request, TASKS, limit, offset, *filters)
            assert response.content == rendered(PublicTaskPage, payload), (limit, offset, query)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.usefixtures("subject_cases")
def test_list_reads_keep_their_query_count_whatever_the_page_size(
    world: World,  # noqa: F811
    planner_user: User,
    admin_user: User,
    yibin_reporter_user: User,
    persona_units: dict[str, OrgUnit],
) -> None:
    """A page of three rows and a page of every row cost the same number of queries (no query
    per row: responsible units, task titles and units are read per page; the subjects of
    cases without a task per kind of subject, and the newest three cases are the subject
    cases, of both kinds)."""
    publish(actor=None, subject=world.annual_list, note="2024年清单")
    others = world.annual_list.tasks.exclude(pk__in=[world.yibin_only.pk, world.luzhou_only.pk])
    for task in others[:3]:
        _report(task, persona_units["511500"], yibin_reporter_user)
    for user in (planner_user, admin_user):
        client = token_client(user)
        client.get(f"{API}/me")  # the token's last use is written once, not in the count
        for path, (_, selector, _) in expected_pages().items():
            rows = selector(user).count()
            assert rows >= 3, path
            few, every = (_queries(client, f"{API}{path}?limit={n}") for n in (3, rows))
            assert few == every, (path, few, every)
        public = [_queries(client, f"{API}/public/tasks?limit={n}") for n in (1, TASKS.count())]
        assert public[0] == public[1]


def test_task_rows_keep_the_order_of_the_units(world: World, planner_user: User) -> None:  # noqa: F811
    """Responsible units are listed in the units' order, as the task detail gives them."""
    client = token_client(planner_user)
    items = client.get(f"{API}/tasks?limit=500").json()["items"]
    several = [t for t in items if len(t["responsible_units"]) > 1]
    assert several
    for row in several:
        detail = client.get(f"{API}/tasks/{row['id']}").json()
        assert row["responsible_units"] == detail["responsible_units"]


def test_report_rows_leave_out_the_narrative(world: World, planner_user: User) -> None:  # noqa: F811
    """The list reads the report rows without their narrative, which it does not show."""
    client = token_client(planner_user)
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{API}/reports")
    assert not any("narrative" in q["sql"] for q in ctx.captured_queries)
    assert world.yibin_report.narrative  # there is one to leave out
