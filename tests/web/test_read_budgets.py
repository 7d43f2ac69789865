"""Every page and API list reads only what it shows (issue 15, item 7): per URL a budget of
queries and of bytes read from the database (tests/factories/reads.py), and no query that
reads a large column (source documents, uploads, audit payloads, snapshots) unless the page
shows it. Measured on the five bundled plans with two years of demonstration data, as the
persons who use each page.

The budgets are the figures measured when they were set with about half again as headroom;
a page that starts reading a source document (a megabyte and more) or every task's snapshot
breaks its budget by far. The one page that shows a source document (原文) may read it once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planwatch.pages.demo import demo_load
from planwatch.plans.models import Plan
from tests.factories.reads import measure_reads

pytestmark = pytest.mark.django_db

ANON, PLANNER, ADMIN = "anon", "planner", "admin_client"
EVERYONE = (ANON, PLANNER, ADMIN)
SIGNED_IN = (PLANNER, ADMIN)
# URL → who reads it, query budget, byte budget in KiB (None: the plan's source document once
# plus 16 KiB), large columns the page shows.
Case = tuple[str, tuple[str, ...], int, int | None, tuple[str, ...]]
CASES: tuple[Case, ...] = (
    ("/", EVERYONE, 10, 8, ()),
    ("/plans/", EVERYONE, 10, 8, ()),
    ("/places/", EVERYONE, 8, 40, ()),
    ("/search/?q=交通", EVERYONE, 18, 128, ()),
    ("/gongkai/", EVERYONE, 27, 8, ()),
    ("/gongkai/feed.atom", EVERYONE, 3, 4, ()),
    ("/gongkai/data/", EVERYONE, 29, 4, ()),
    ("/plans/{slug}/", EVERYONE, 9, 12, ()),
    ("/plans/{slug}/versions/", EVERYONE, 8, 4, ("plans_planversion.diff",)),
    ("/plans/{slug}/source/", EVERYONE, 8, None, ("plans_sourcedocument.content",)),
    ("/api/v1/plans", EVERYONE, 7, 12, ()),
    ("/api/v1/plans/{plan_id}", EVERYONE, 8, 4, ()),
    ("/api/v1/plans/{plan_id}/nodes", EVERYONE, 8, 36, ()),
    ("/api/v1/places", EVERYONE, 8, 56, ()),
    ("/api/v1/orgunits", EVERYONE, 6, 68, ()),
    ("/api/v1/search?q=交通", EVERYONE, 13, 20, ()),
    ("/api/v1/public/surveys", EVERYONE, 7, 4, ()),
    ("/api/v1/public/datasets", EVERYONE, 20, 4, ()),
    ("/api/v1/public/tasks", EVERYONE, 6, 4, ()),
    ("/workbench/", SIGNED_IN, 24, 4, ()),
    ("/tasks/", SIGNED_IN, 16, 176, ()),
    ("/lists/", SIGNED_IN, 11, 8, ()),
    ("/reports/queue/", SIGNED_IN, 12, 112, ()),
    ("/reports/health/", SIGNED_IN, 10, 20, ()),
    ("/cases/", SIGNED_IN, 12, 108, ()),
    ("/notifications/", SIGNED_IN, 7, 4, ()),
    ("/indicators/", SIGNED_IN, 14, 8, ()),
    ("/projects/", SIGNED_IN, 9, 4, ()),
    ("/projects/lists/", SIGNED_IN, 9, 4, ()),
    ("/surveys/", SIGNED_IN, 7, 4, ()),
    ("/integration-index/", SIGNED_IN, 14, 4, ()),
    ("/assessment/schemes/", SIGNED_IN, 22, 4, ()),
    ("/assessment/results/", SIGNED_IN, 8, 4, ()),
    ("/publication/", SIGNED_IN, 7, 4, ()),
    ("/documents/", SIGNED_IN, 8, 4, ()),
    ("/meetings/", SIGNED_IN, 20, 20, ()),
    ("/dashboards/", SIGNED_IN, 8, 16, ()),
    ("/dashboards/province/", SIGNED_IN, 20, 212, ()),
    ("/plans/upload/", SIGNED_IN, 9, 8, ()),
    ("/accounts/users/", SIGNED_IN, 10, 68, ()),
    ("/api/v1/me", SIGNED_IN, 5, 4, ()),
    ("/api/v1/tasks", SIGNED_IN, 8, 128, ()),
    ("/api/v1/lists", SIGNED_IN, 6, 4, ()),
    ("/api/v1/reports", SIGNED_IN, 7, 80, ()),
    ("/api/v1/cases", SIGNED_IN, 7, 100, ()),
    ("/api/v1/indicators", SIGNED_IN, 6, 4, ()),
    ("/api/v1/projects", SIGNED_IN, 6, 4, ()),
    ("/api/v1/integration-index/editions", SIGNED_IN, 5, 4, ()),
    ("/api/v1/assessments/schemes", SIGNED_IN, 7, 8, ()),
    ("/api/v1/assessments/results", SIGNED_IN, 6, 4, ()),
    # placeholders_left reads each document's snapshot and written passages
    (
        "/api/v1/documents",
        SIGNED_IN,
        7,
        4,
        ("documents_document.snapshot", "documents_document.texts"),
    ),
    ("/audit/", (ADMIN,), 9, 40, ("audit_auditevent.new", "audit_auditevent.old")),
    ("/system/jobs/", (ADMIN,), 7, 4, ("audit_auditevent.new",)),
)


def _over_budget(client: Any, url: str, case: Case, source_bytes: int) -> list[str]:
    _path, _who, max_queries, kib, shown = case
    reads = measure_reads(client, url)
    budget = source_bytes + 16 * 1024 if kib is None else kib * 1024
    found = []
    if reads.status != 200:
        found.append(f"{url}: status {reads.status}")
    if len(reads.queries) > max_queries:
        found.append(f"{url}: {len(reads.queries)} queries (budget {max_queries})")
    if reads.bytes_read > budget:
        found.append(f"{url}: {reads.bytes_read} bytes read (budget {budget})")
    found += [f"{url}: reads {col}" for col in sorted(set(reads.large) - set(shown))]
    return found


@pytest.mark.parametrize("persona", EVERYONE)
def test_pages_and_endpoints_read_within_their_budgets(
    persona: str,
    request: pytest.FixtureRequest,
    bundled_plans: list[Plan],
    planner_user: Any,
) -> None:
    demo_load(years=(2024, 2025), as_of=date(2025, 10, 20))
    client = request.getfixturevalue(persona)
    plan = bundled_plans[0]
    assert plan.current_version is not None
    source_bytes = plan.current_version.document.size
    problems: list[str] = []
    for case in CASES:
        if persona in case[1]:
            url = case[0].format(slug=plan.slug, plan_id=plan.pk)
            problems += _over_budget(client, url, case, source_bytes)
    assert problems == [], "\n".join(problems)


def test_the_measure_sees_a_source_document_read(
    anon: Any, bundled_plans: list[Plan], settings: Any
) -> None:
    """The measure itself: the source page reads the document's bytes, and says so."""
    plan = bundled_plans[0]
    reads = measure_reads(anon, f"/plans/{plan.slug}/source/")
    assert plan.current_version is not None
    size = plan.current_version.document.size
    assert size <= reads.bytes_read < 2 * size
    assert "plans_sourcedocument.content" in reads.large
