"""`planwatch serve` — the production server: gunicorn workers running the WSGI application,
static files served by the application itself (whitenoise), and — when the job queue needs no
server (the embedded default) or PLANWATCH_SERVE_WORKER=on — the queue's worker beside them
(planwatch/core/gunicorn_worker.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.core.queue import describe, is_embedded
from planwatch.env import env_int, env_str


def serve_worker_wanted() -> bool:
    """Whether `serve` runs the queue's worker itself (PLANWATCH_SERVE_WORKER)."""
    choice = str(settings.PLANWATCH_SERVE_WORKER).strip().lower()
    if choice not in {"auto", "on", "off"}:
        raise CommandError(f"PLANWATCH_SERVE_WORKER {choice!r}: expected auto, on or off")
    return choice == "on" or (choice == "auto" and is_embedded(settings.HUEY))


# Seconds a worker keeps its database connection between requests (Django's CONN_MAX_AGE)
# unless DB_CONN_MAX_AGE says otherwise. Opening a PostgreSQL connection for every request
# was a third of the median request in the load test (decision record 0030).
SERVER_CONN_MAX_AGE = 60


def server_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment gunicorn starts with: the caller's, with persistent database
    connections unless DB_CONN_MAX_AGE is set (empty counts as unset, as for every setting)."""
    env = dict(environ)
    if not env.get("DB_CONN_MAX_AGE"):
        env["DB_CONN_MAX_AGE"] = str(SERVER_CONN_MAX_AGE)
    return env


def gunicorn_argv(
    *, bind: str, workers: int, threads: int, extra: list[str], with_worker: bool
) -> list[str]:
    """gunicorn's command line. More than one thread per worker makes it gunicorn's gthread
    worker (docs/decisions/0030-load-and-storage.md gives the measured choice)."""
    config = ["--config", "python:planwatch.core.gunicorn_worker"] if with_worker else []
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "planwatch.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        # An upload of several plan documents is parsed and stored within its request.
        "--timeout",
        "120",
        *config,
        *extra,
    ]


class Command(BaseCommand):
    help = "Run the production web server (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=env_str("PLANWATCH_BIND", "127.0.0.1:8000"))
        # One single-threaded process per CPU: the load test on an otherwise idle 2-CPU machine
        # gave it the lowest p95 for pages and the portal (decision record 0030).
        workers = env_int("PLANWATCH_WORKERS", max(2, os.cpu_count() or 2))
        parser.add_argument("--workers", type=int, default=workers)
        parser.add_argument("--threads", type=int, default=env_int("PLANWATCH_THREADS", 1))
        parser.add_argument("gunicorn_args", nargs="*", help="more gunicorn options, after --")

    def handle(self, *args: Any, **options: Any) -> None:
        with_worker = serve_worker_wanted()
        argv = gunicorn_argv(
            bind=options["bind"],
            workers=max(1, options["workers"]),
            threads=max(1, options["threads"]),
            extra=options["gunicorn_args"],
            with_worker=with_worker,
        )
        queue = describe(settings.HUEY)
        jobs = (
            f"{queue}, worker started here"
            if with_worker
            else f"{queue}, run `planwatch worker` beside it"
        )
        self.stdout.write(
            f"planwatch serve: http://{options['bind']}/ ({options['workers']} workers"
            f" × {options['threads']} threads; {jobs})"
        )
        self.stdout.flush()
        os.execve(argv[0], argv, server_environment(os.environ))
