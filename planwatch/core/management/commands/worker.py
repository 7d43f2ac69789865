"""`planwatch worker` — the queue's worker process: runs enqueued jobs and the periodic
supervision check (planwatch/core/queue.py, planwatch/supervision/scheduled.py).

On the embedded default `planwatch serve` starts one; in production (a Redis queue) run it as
a service of its own. SIGINT stops it gracefully (a running job finishes, up to
--shutdown-timeout seconds); SIGTERM stops it at once."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.core import hooks
from planwatch.core.queue import describe, jobs_load, worker_identity


class Command(BaseCommand):
    help = "Run the job queue's worker (jobs and the daily supervision check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threads", type=int, default=2, help="jobs run at once")
        parser.add_argument(
            "--no-periodic", action="store_true", help="run enqueued jobs only, no schedule"
        )
        parser.add_argument("--shutdown-timeout", type=float, default=60.0)
        parser.add_argument("--check", action="store_true", help="print the queue's state and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        huey = settings.HUEY
        jobs_load()
        if options["check"]:
            self._check(huey)
            return
        if huey.immediate:
            raise CommandError("the queue is in immediate mode (memory://): nothing to consume")
        logger = logging.getLogger("huey")
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False
        periodic = not options["no_periodic"]
        # Before taking jobs: resume or fail what a worker that died left running.
        for line in hooks.worker_started.send(worker=worker_identity()):
            if line:
                self.stdout.write(f"planwatch worker: {line}")
        self.stdout.write(
            f"planwatch worker: {describe(huey)}, {options['threads']} threads, "
            f"schedule {'on' if periodic else 'off'}"
        )
        self.stdout.flush()
        consumer = huey.create_consumer(
            workers=max(1, options["threads"]),
            worker_type="thread",
            periodic=periodic,
            shutdown_timeout=options["shutdown_timeout"],
        )
        consumer.run()

    def _check(self, huey: Any) -> None:
        try:
            pending = huey.pending_count()
            scheduled = huey.scheduled_count()
        except Exception as exc:  # the storage's own error: unreachable server, bad file
            raise CommandError(f"{describe(huey)}: {exc}") from exc
        periodic = sorted(t.name for t in huey._registry.periodic_tasks)
        self.stdout.write(f"{describe(huey)}")
        self.stdout.write(f"pending: {pending}; scheduled: {scheduled}")
        self.stdout.write(f"periodic: {', '.join(periodic) or '-'}")
