"""`planwatch user …`: the account services from the command line, audited as the system."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from planwatch.audit.models import AuditEvent
from planwatch.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def test_create_grant_revoke_list(persona_units: dict[str, OrgUnit]) -> None:
    out = run("create", "yibin_cli", "--unit", "511500", "--role", "reporter", "--name", "钱七")
    password = out.rsplit(" ", 1)[1].strip()
    user = User.objects.get(username="yibin_cli")
    assert user.check_password(password) and user.first_name == "钱七"
    run("grant", "yibin_cli", "511502", "leader")
    assert "511500:reporter" in run("list", "--unit", "zone:south-sichuan")
    run("revoke", "yibin_cli", "511502", "leader")
    assert "leader" not in run("list")
    actions = list(
        AuditEvent.objects.filter(target_label__contains="yibin_cli")
        .order_by("id")
        .values_list("action", "actor_label")
    )
    assert actions == [
        ("user.create", "system"),
        ("membership.grant", "system"),
        ("membership.grant", "system"),
        ("membership.revoke", "system"),
    ]


def test_set_password_and_deactivate(yibin_reporter_user: User) -> None:
    password = run("set-password", "yibin_reporter").rsplit(" ", 1)[1].strip()
    yibin_reporter_user.refresh_from_db()
    assert yibin_reporter_user.check_password(password)
    run("deactivate", "yibin_reporter")
    yibin_reporter_user.refresh_from_db()
    assert not yibin_reporter_user.is_active
    assert "(disabled)" in run("list")


@pytest.mark.parametrize(
    "args",
    [
        ("grant", "nobody", "511500", "reporter"),
        ("grant", "yibin_reporter", "999999", "reporter"),
        ("grant", "yibin_reporter", "511500", "reporter"),  # already held
        ("revoke", "yibin_reporter", "511500", "leader"),
        ("create", "yibin_reporter"),  # name taken
        ("create", "x", "--unit", "511500"),
    ],
)
def test_errors_are_one_clear_line(yibin_reporter_user: User, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert "\n" not in str(exc.value)
