"""core.lookups.InArray: the rows `__in` gives — on PostgreSQL from one array parameter —
with repeated values, None among them, no values at all, and inside a subquery."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import F, Q

from planwatch.core.lookups import InArray

pytestmark = pytest.mark.django_db


def test_in_array_selects_what_in_selects() -> None:
    for name in ("甲", "乙", "丙", "it's"):
        Group.objects.create(name=name)
    cases: list[list[str | None]] = [["甲", "丙", "甲"], ["it's", None], [], ["无"]]
    for values in cases:
        got = set(Group.objects.filter(InArray(F("name"), values)).values_list("name", flat=True))
        assert got == set(Group.objects.filter(name__in=values).values_list("name", flat=True))
    either = Group.objects.filter(Q(InArray(F("name"), [])) | Q(InArray(F("name"), ["乙"])))
    assert list(either.values_list("name", flat=True)) == ["乙"]


def test_in_array_inside_a_subquery() -> None:
    wanted = Group.objects.filter(InArray(F("name"), ["甲", "乙"]))
    for name in ("甲", "乙", "丙"):
        user = User.objects.create(username=f"u{ord(name)}")
        user.groups.add(Group.objects.create(name=name))
    users = User.objects.filter(groups__in=wanted).order_by("username")
    assert list(users.values_list("username", flat=True)) == [f"u{ord('乙')}", f"u{ord('甲')}"]
