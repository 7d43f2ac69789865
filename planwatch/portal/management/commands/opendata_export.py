"""`planwatch opendata_export DIR` writes the open data as it is published now — every
dataset as CSV, JSON and xlsx and the `datapackage.json` describing the CSV files — into DIR,
for a mirror or an archive. `--base-url` makes the links in the files absolute (the clause
links of the tasks, the package's homepage), as the site would serve them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.portal.opendata.datasets import DATASETS, last_modified
from planwatch.portal.opendata.formats import csv_chunks, datapackage, json_chunks, xlsx_bytes


class Command(BaseCommand):
    help = "Write every open dataset (CSV, JSON, xlsx) and datapackage.json into a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--base-url", default="", help="scheme and host, e.g. https://planwatch.example"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["directory"]
        base = str(options["base_url"]).rstrip("/")
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is not a directory")
        out.mkdir(parents=True, exist_ok=True)
        modified = last_modified()
        for name, dataset in DATASETS.items():
            with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                f.writelines(csv_chunks(dataset, base=base))
            with (out / f"{name}.json").open("w", encoding="utf-8") as f:
                f.writelines(json_chunks(dataset, base=base, modified=last_modified(dataset)))
            (out / f"{name}.xlsx").write_bytes(xlsx_bytes(dataset, base=base))
            self.stdout.write(f"{name}: {dataset.count()} rows")
        package = datapackage(base=base, modified=modified)
        (out / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(f"wrote {out / 'datapackage.json'}")
