"""Reopening an issued annual list for revision (发起修订) and setting its reporting frequency
(报送频次) through the API: planners of the plan (the province's and the zone's) may; a
planner of another zone, the leader, a unit's reporter and anonymous callers may not; the
state rules of the service (409) and its audit events; the round trip reopen → edit the
frequency → issue again. JSON bodies are validated against docs/openapi.json."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from planwatch.tasks.models import AnnualList
from tests.api.test_impl_evidence import conforms
from tests.api.test_impl_lists import draft_list, post_json, version_of
from tests.api.test_implementation import World, world

pytestmark = pytest.mark.django_db
API = "/api/v1"
__all__ = ["draft_list", "world"]  # fixtures shared with the list tests
LOCKED = "清单已下达并锁定；如需修改，请先发起修订。"


def reopen(client: Client, alist: AnnualList, body: dict[str, Any], status: int) -> Any:
    return post_json(client, f"{API}/lists/{alist.pk}/reopen", body, status)


def set_frequency(client: Client, alist: AnnualList, body: dict[str, Any], status: int) -> Any:
    response = client.put(
        f"{API}/lists/{alist.pk}/frequency", body, content_type="application/json"
    )
    return conforms(response, "put", status)


def state(alist: AnnualList) -> tuple[str, str, int]:
    alist.refresh_from_db()
    return alist.status, alist.frequency, alist.version


# ---- reopen ---------------------------------------------------------------------------------


def test_zone_planner_reopens_the_issued_list_and_issues_it_again(
    world: World, chuannan_planner: Client, new_audit_events: Any
) -> None:
    alist = world.annual_list
    version = version_of(alist)
    reopened = reopen(chuannan_planner, alist, {"version": version, "reason": "新增重大项目"}, 200)
    assert (reopened["status"], reopened["issued_number"]) == ("revising", 1)
    assert reopened["version"] > version and reopened["id"] == alist.pk
    assert state(alist)[0] == "revising"
    event = new_audit_events().get()
    assert (event.action, event.target_id, event.actor.username) == (
        "annual_list.reopen",
        str(alist.pk),
        "chuannan_planner",
    )
    assert (event.old, event.new) == (
        {"status": "issued"},
        {"status": "revising", "reason": "新增重大项目"},
    )
    again = post_json(
        chuannan_planner, f"{API}/lists/{alist.pk}/issue", {"version": reopened["version"]}, 200
    )
    assert (again["status"], again["issued_number"]) == ("issued", 2)


def test_reopen_is_refused_when_the_list_is_not_issued(
    world: World, draft_list: AnnualList, planner: Client, new_audit_events: Any
) -> None:
    body = {"version": version_of(draft_list), "reason": "调整"}
    refused = reopen(planner, draft_list, body, 409)
    assert refused["error"]["code"] == "conflict"
    assert state(draft_list)[0] == "draft"
    alist = world.annual_list
    first = reopen(planner, alist, {"version": version_of(alist), "reason": "调整"}, 200)
    twice = reopen(planner, alist, {"version": first["version"], "reason": "再调整"}, 409)
    assert twice["error"]["code"] == "conflict"
    assert [e.action for e in new_audit_events()] == ["annual_list.reopen"]


def test_reopen_needs_a_reason_and_the_current_version(
    world: World, planner: Client, new_audit_events: Any
) -> None:
    alist = world.annual_list
    before = state(alist)
    version = before[2]
    assert "reason" in reopen(planner, alist, {"version": version}, 422)["error"]["message"]
    blank = reopen(planner, alist, {"version": version, "reason": "   "}, 422)
    assert blank["error"]["message"] == "请说明修订原因。"
    stale = reopen(planner, alist, {"version": version - 1, "reason": "调整"}, 409)
    assert stale["error"]["code"] == "conflict"
    assert state(alist) == before and not new_audit_events().exists()


def test_only_planners_of_the_plan_reopen(
    world: World,
    chengdu_planner: Client,
    leader: Client,
    yibin_reporter: Client,
    anon: Client,
    planner: Client,
    new_audit_events: Any,
) -> None:
    alist = world.annual_list
    before = state(alist)
    body = {"version": before[2], "reason": "调整"}
    missing = post_json(planner, f"{API}/lists/99999999/reopen", body, 404)
    for client in (chengdu_planner, leader, yibin_reporter):
        assert reopen(client, alist, body, 404) == missing
    reopen(anon, alist, body, 401)
    assert state(alist) == before and not new_audit_events().exists()


# ---- frequency ------------------------------------------------------------------------------


def test_planner_sets_the_frequency_of_a_draft_list(
    draft_list: AnnualList, chuannan_planner: Client, new_audit_events: Any
) -> None:
    assert state(draft_list)[1] == "quarterly"
    monthly = set_frequency(chuannan_planner, draft_list, {"frequency": "monthly"}, 200)
    assert monthly["frequency"] == "monthly" and state(draft_list)[1] == "monthly"
    stale = {"version": monthly["version"] - 1, "frequency": "quarterly"}
    assert set_frequency(chuannan_planner, draft_list, stale, 409)["error"]["code"] == "conflict"
    assert state(draft_list)[1] == "monthly"
    current = {"version": monthly["version"], "frequency": "quarterly"}
    back = set_frequency(chuannan_planner, draft_list, current, 200)
    assert back["frequency"] == "quarterly" and back["version"] > monthly["version"]
    events = list(new_audit_events())
    assert [e.action for e in events] == ["annual_list.set_frequency"] * 2
    assert [(e.old, e.new) for e in events] == [
        ({"frequency": "quarterly"}, {"frequency": "monthly"}),
        ({"frequency": "monthly"}, {"frequency": "quarterly"}),
    ]
    assert {e.target_id for e in events} == {str(draft_list.pk)}


def test_an_unknown_frequency_is_422(draft_list: AnnualList, planner: Client) -> None:
    before = state(draft_list)
    body = set_frequency(planner, draft_list, {"frequency": "weekly"}, 422)
    assert "frequency" in body["error"]["message"]
    set_frequency(planner, draft_list, {"version": before[2]}, 422)
    assert state(draft_list) == before


def test_the_frequency_of_an_issued_list_changes_only_after_reopening(
    world: World, planner: Client, new_audit_events: Any
) -> None:
    alist = world.annual_list
    version = version_of(alist)
    locked = set_frequency(planner, alist, {"version": version, "frequency": "monthly"}, 409)
    assert locked["error"] == {"code": "conflict", "message": LOCKED}
    assert state(alist)[1] == "quarterly" and not new_audit_events().exists()
    reopened = reopen(planner, alist, {"version": version, "reason": "改为按月报送"}, 200)
    body = {"version": reopened["version"], "frequency": "monthly"}
    assert set_frequency(planner, alist, body, 200)["frequency"] == "monthly"
    actions = [e.action for e in new_audit_events()]
    assert actions == ["annual_list.reopen", "annual_list.set_frequency"]


def test_only_planners_of_the_plan_set_the_frequency(
    draft_list: AnnualList,
    chengdu_planner: Client,
    leader: Client,
    yibin_reporter: Client,
    anon: Client,
    planner: Client,
    new_audit_events: Any,
) -> None:
    before = state(draft_list)
    body = {"frequency": "monthly"}
    response = planner.put(f"{API}/lists/99999999/frequency", body, content_type="application/json")
    missing = conforms(response, "put", 404)
    for client in (chengdu_planner, leader, yibin_reporter):
        assert set_frequency(client, draft_list, body, 404) == missing
    set_frequency(anon, draft_list, body, 401)
    assert state(draft_list) == before and not new_audit_events().exists()


def test_sessions_need_csrf_for_both(
    world: World, draft_list: AnnualList, planner_user: User, new_audit_events: Any
) -> None:
    session = Client(enforce_csrf_checks=True)
    session.force_login(planner_user)
    issued = world.annual_list
    body = {"version": version_of(issued), "reason": "调整"}
    assert reopen(session, issued, body, 403)["error"]["message"] == "CSRF verification failed"
    for freq in ({"frequency": "monthly"}, {"frequency": "monthly", "version": 1}):
        set_frequency(session, draft_list, freq, 403)
    assert state(issued)[0] == "issued" and state(draft_list)[1] == "quarterly"
    assert not new_audit_events().exists()
