"""The options every daily job's command shares (planwatch/core/daily_command.py), through
the real commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

COMMANDS = ("supervise", "project_lights", "indicator_warnings", "feedback_overdue")


@pytest.mark.parametrize("name", COMMANDS)
def test_a_bad_date_is_named(name: str) -> None:
    with pytest.raises(CommandError, match="--date"):
        call_command(name, "--date", "2026-13-01")


@pytest.mark.parametrize("name", COMMANDS)
def test_enqueue_takes_no_other_option(name: str) -> None:
    with pytest.raises(CommandError, match="no other options"):
        call_command(name, "--enqueue", "--dry-run")


def test_enqueue_refuses_a_job_option_off_its_default() -> None:
    with pytest.raises(CommandError, match="no other options"):
        call_command("supervise", "--enqueue", "--warning-days", "9")


@pytest.mark.parametrize("name", COMMANDS)
def test_a_dry_run_says_so_with_its_day(name: str) -> None:
    out = StringIO()
    call_command(name, "--dry-run", "--date", "2026-03-31", stdout=out)
    assert out.getvalue().startswith("[dry run] 2026-03-31: ")
