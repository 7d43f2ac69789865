"""The Django side of the replica test (tests/faults/test_replica.py), run with
DATABASE_URL = the primary and DATABASE_REPLICA_URL = its streaming replica.

    write — (replay paused on the replica) create a provincial planner and a published plan
            on the primary, then as that planner GET the plan's dashboard (a read-only path:
            read from the replica), and write inside a read-only request; prints what each
            saw, as JSON
    read  — (replay resumed) GET the dashboard again
"""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from planwatch.accounts.choices import Role  # noqa: E402
from planwatch.accounts.models import Membership  # noqa: E402
from planwatch.core import replica  # noqa: E402
from planwatch.orgunits.choices import OrgUnitKind  # noqa: E402
from planwatch.orgunits.models import OrgUnit  # noqa: E402
from planwatch.plans.choices import PlanStatus  # noqa: E402
from planwatch.plans.models import Plan  # noqa: E402

SLUG = "replica-check"


def main(step: str) -> dict[str, object]:
    if step == "write":
        province = OrgUnit.objects.create(
            code="510000", name="四川省", kind=OrgUnitKind.PROVINCE, path="/510000/"
        )
        boss = User.objects.create(username="boss")
        Membership.objects.create(user=boss, org_unit=province, role=Role.PLANNER)
        Plan.objects.create(title="复制测试规划", slug=SLUG, status=PlanStatus.PUBLISHED)
    boss = User.objects.get(username="boss")
    client = Client(HTTP_HOST="localhost")
    client.force_login(boss)  # the session is written to, and read from, the primary
    seen = client.get(f"/dashboards/plan/{SLUG}/").status_code
    out: dict[str, object] = {
        "dashboard": seen,
        "router": replica.ReplicaRouter().db_for_read(Plan),
    }
    if step == "write":
        token = replica._read_only.set(True)
        try:
            out["read_in_read_only"] = Plan.objects.filter(slug=SLUG).exists()
            Plan.objects.create(title="只读请求中的写入", slug="written-read-only")
            out["router_in_read_only"] = replica.ReplicaRouter().db_for_read(Plan)
        finally:
            replica._read_only.reset(token)
        out["read_on_primary"] = Plan.objects.filter(slug=SLUG).exists()
        out["written_on_primary"] = Plan.objects.filter(slug="written-read-only").exists()
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
