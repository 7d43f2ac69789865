"""The `planwatch` console script. `planwatch parse` is the standalone parser and
`planwatch extract` its extractors of tasks, observations and projects (no Django);
every other verb is a Django management command (`planwatch ingest`, `planwatch serve`,
`planwatch audit verify`, `planwatch migrate`, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "parse":
        from planwatch.parsing.cli import main as parse_main

        return parse_main(args[1:])
    if args and args[0] == "extract":
        from planwatch.parsing.extract.cli import main as extract_main

        return extract_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["planwatch", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
