"""`planwatch serve` — the production server: gunicorn workers running the WSGI application,
static files served by the application itself (whitenoise)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from planwatch.env import env_int, env_str


def gunicorn_argv(*, bind: str, workers: int, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "planwatch.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        # An upload of several plan documents is parsed and stored within its request.
        "--timeout",
        "120",
        *extra,
    ]


class Command(BaseCommand):
    help = "Run the production web server (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=env_str("PLANWATCH_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=env_int("PLANWATCH_WORKERS", 2))
        parser.add_argument("gunicorn_args", nargs="*", help="more gunicorn options, after --")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = gunicorn_argv(
            bind=options["bind"], workers=max(1, options["workers"]), extra=options["gunicorn_args"]
        )
        self.stdout.write(
            f"planwatch serve: http://{options['bind']}/ ({options['workers']} workers)"
        )
        self.stdout.flush()
        os.execv(argv[0], argv)
