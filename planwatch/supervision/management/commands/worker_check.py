"""`planwatch worker-check`: is the queue's worker alive? Prints its last heartbeat; when it
is older than PLANWATCH_WORKER_STALE_MINUTES, alerts the administrators (once per outage)
and exits with status 1. Run it from cron or a systemd timer every few minutes — from
outside the worker, which cannot report its own death."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from planwatch.supervision.scheduled import worker_alert, worker_heartbeat, worker_stale


class Command(BaseCommand):
    help = "检查任务队列工作进程的心跳；停止时通知系统管理员（退出码 1）。"

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        last = worker_heartbeat()
        if last is None:
            self.stdout.write("no worker has run on this queue yet")
            return
        if worker_stale(now) is None:
            self.stdout.write(f"worker alive: last heartbeat {last.isoformat()}")
            return
        notes = worker_alert(now)
        self.stdout.write(
            f"worker stopped: last heartbeat {last.isoformat()}; "
            f"{len(notes)} administrator(s) alerted now"
        )
        raise CommandError("the queue's worker has stopped", returncode=1)
