"""Plans can be withdrawn (issue 9 item 12): an upload is a draft that only planners see
until one publishes it; a published plan can be unpublished with a reason; a draft or
withdrawn plan can be deleted; every step is in the audit log. Drafts appear in no public
list, place page, search (hits or counts) or API answer."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from planwatch.audit.models import AuditEvent
from planwatch.plans import services
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan, PlanVersion, SourceDocument
from planwatch.search.backends import get_backend
from tests.factories.plans import PLAIN_TITLE, sample_parse

WORD = "同城"  # only in the 成都平原 sample plan


@pytest.fixture
def draft(orgunits: Any, planner_user: User) -> Plan:
    """The two sample plans as a planner's upload stores them: drafts."""
    data, parsed = sample_parse()
    services.plan_ingest(data=data, name="sample.txt", actor=planner_user, parsed=parsed)
    plan = Plan.objects.get(title=PLAIN_TITLE)
    assert plan.status == PlanStatus.DRAFT
    return plan


def _search_total(client: Client) -> tuple[int, int]:
    """(hits on the search page, total of the API search) for WORD."""
    page = client.get("/search/", {"q": WORD})
    assert page.status_code == 200
    api = client.get("/api/v1/search", {"q": WORD}).json()
    return page.content.decode().count(PLAIN_TITLE), int(api["count"])


def _public_views(client: Client, plan: Plan) -> dict[str, Any]:
    return {
        "list": _shows_plan(client.get("/plans/")),
        "home": _shows_plan(client.get("/")),
        "page": client.get(f"/plans/{plan.slug}/").status_code,
        "api_list": plan.pk in [p["id"] for p in client.get("/api/v1/plans").json()["items"]],
        "api_plan": client.get(f"/api/v1/plans/{plan.pk}").status_code,
        "place": _shows_plan(client.get("/places/510100/")),
        "search": _search_total(client)[1],
    }


def _shows_plan(response: Any) -> bool:
    assert response.status_code == 200
    return PLAIN_TITLE in response.content.decode()


HIDDEN = {
    "list": False,
    "home": False,
    "page": 404,
    "api_list": False,
    "api_plan": 404,
    "place": False,
    "search": 0,
}
SHOWN = {
    "list": True,
    "home": True,
    "page": 200,
    "api_list": True,
    "api_plan": 200,
    "place": True,
}


def test_an_upload_is_a_draft_only_planners_see(
    draft: Plan, anon: Client, yibin_reporter: Client, planner: Client
) -> None:
    assert _public_views(anon, draft) == HIDDEN
    assert _public_views(yibin_reporter, draft) == HIDDEN
    seen = _public_views(planner, draft)
    assert {k: seen[k] for k in SHOWN} == SHOWN and seen["search"] >= 1
    page = planner.get(f"/plans/{draft.slug}/").content.decode()
    assert "草稿" in page and 'action="/plans/' + draft.slug + '/publish/"' in page
    assert "data-confirm=" in page


def test_publishing_makes_it_public_and_is_audited(
    draft: Plan, anon: Client, planner: Client, planner_user: User
) -> None:
    response = planner.post(f"/plans/{draft.slug}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PUBLISHED and draft.published_by == planner_user
    seen = _public_views(anon, draft)
    assert {k: seen[k] for k in SHOWN} == SHOWN and seen["search"] >= 1
    event = AuditEvent.objects.filter(action="plan.publish", target_id=str(draft.pk)).get()
    assert event.actor_id == planner_user.pk and event.new == {"status": "published"}


def test_unpublishing_needs_a_reason_and_hides_the_plan_again(
    draft: Plan, anon: Client, planner: Client
) -> None:
    planner.post(f"/plans/{draft.slug}/publish/")
    refused = planner.post(f"/plans/{draft.slug}/unpublish/", {"reason": "  "}, follow=True)
    assert "请填写撤回原因" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PUBLISHED
    planner.post(f"/plans/{draft.slug}/unpublish/", {"reason": "文本有误，待核对后重新发布"})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.UNPUBLISHED
    assert _public_views(anon, draft) == HIDDEN
    event = AuditEvent.objects.get(action="plan.unpublish", target_id=str(draft.pk))
    assert event.new == {"status": "unpublished", "reason": "文本有误，待核对后重新发布"}
    page = planner.get(f"/plans/{draft.slug}/").content.decode()
    assert "已撤回" in page and "文本有误，待核对后重新发布" in page


def test_a_reporter_or_anonymous_visitor_cannot_publish(
    draft: Plan, anon: Client, yibin_reporter: Client
) -> None:
    for client in (anon, yibin_reporter):
        response = client.post(f"/plans/{draft.slug}/publish/")
        assert response.status_code in {302, 404}
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_a_draft_without_tasks_can_be_deleted(draft: Plan, planner: Client) -> None:
    backend = get_backend()
    indexed = backend.count_all()
    versions = list(PlanVersion.objects.filter(plan=draft).values_list("pk", flat=True))
    assert versions
    response = planner.post(f"/plans/{draft.slug}/delete/")
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert not PlanVersion.objects.filter(pk__in=versions).exists()
    assert backend.count_all() < indexed
    # The other plan of the same document keeps the document.
    assert SourceDocument.objects.filter(name="sample.txt").exists()
    event = AuditEvent.objects.get(action="plan.delete", target_id=str(draft.pk))
    assert event.target_label == PLAIN_TITLE


def test_a_published_plan_must_be_withdrawn_before_deletion(draft: Plan, planner: Client) -> None:
    planner.post(f"/plans/{draft.slug}/publish/")
    page = planner.post(f"/plans/{draft.slug}/delete/", follow=True).content.decode()
    assert "请先撤回发布" in page
    assert Plan.objects.filter(pk=draft.pk).exists()


def test_ingest_publish_flag(orgunits: Any, tmp_path: Path) -> None:
    data, _parsed = sample_parse()
    bundled = Path(__file__).resolve().parents[2] / "data/plans"
    first = sorted(bundled.glob("*.txt"))[0]
    out = StringIO()
    call_command("ingest", str(first), "--publish", stdout=out)
    stored = Plan.objects.filter(versions__document__name=first.name).distinct()
    assert stored and all(p.status == PlanStatus.PUBLISHED for p in stored)
    # Without the flag a new document's plans are drafts.
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("planwatch.plans.services.parse_bytes", lambda *a, **k: _parsed)
        call_command("ingest", str(path), stdout=StringIO())
    assert Plan.objects.get(title=PLAIN_TITLE).status == PlanStatus.DRAFT
