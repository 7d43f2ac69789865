"""`planwatch project_lights`: recompute every confirmed project's light for the last month
that has ended, opening a 督办 case for a red project once. Safe to run as often as wanted.
The queue's worker runs it daily by itself (planwatch/projects/scheduled.py); `--enqueue`
hands one run to the worker instead of running it here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from planwatch.core.daily_command import DailyJobCommand
from planwatch.projects.scheduled import project_lights_now, project_lights_run


class Command(DailyJobCommand):
    help = "Recompute the major projects' lights (项目调度) and open 督办 cases for red ones."

    def run(self, *, today: date, now: datetime, dry_run: bool, options: dict[str, Any]) -> str:
        return str(project_lights_run(today=today, now=now, dry_run=dry_run))

    def enqueue(self, day: str) -> Any:
        return project_lights_now(day)
