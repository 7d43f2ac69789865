"""Emptying the database (Django's flush, as transactional tests and `planwatch flush` do)
works on both databases, and the search index never outlives the nodes it points at."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from planwatch.plans.models import Node
from planwatch.search.backends import get_backend


@pytest.mark.django_db(transaction=True)
def test_flush_empties_nodes_and_their_index(bundled_plans: object) -> None:
    backend = get_backend()
    assert Node.objects.count() > 0
    assert backend.count_all() == Node.objects.count()
    call_command("flush", interactive=False, verbosity=0)
    assert Node.objects.count() == 0
    assert backend.count_all() == 0


@pytest.mark.django_db
def test_deleting_a_node_removes_its_index_row(bundled_plans: object) -> None:
    backend = get_backend()
    before = backend.count_all()
    node = Node.objects.filter(kind="box_item", children__isnull=True).first()
    assert node is not None
    node.delete()
    assert backend.count_all() == before - 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM search_node_index WHERE node_id = %s", [node.pk])
            assert cur.fetchone()[0] == 0
