"""The front-end files installed from the npm registry (package.json) that the pages load.

Only these are found, collected and served — not every build of the packages' `dist`
folders (ECharts alone ships 51 MB of variants and source maps, which `collectstatic` used to
copy and compress on every `make run` and in the tests that run `planwatch setup`). A page
that needs another file names it here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

# static path prefix → (directory under node_modules, files in it that pages load)
VENDOR_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "vendor/htmx.org/dist": ("htmx.org/dist", ("htmx.min.js",)),
    "vendor/echarts/dist": ("echarts/dist", ("echarts.min.js",)),
    "vendor/tom-select/dist": (
        "tom-select/dist",
        ("js/tom-select.complete.min.js", "css/tom-select.default.min.css"),
    ),
    "vendor/echarts-v4-maps/map/json/province": (
        "echarts-v4-maps/map/json/province",
        ("sichuan.json",),
    ),
}


class VendorFinder(BaseFinder):
    """Finds the files of VENDOR_FILES under settings.NODE_MODULES, and nothing else."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storages: dict[str, FileSystemStorage] = {}
        self.files: dict[str, str] = {}  # static path → absolute path
        for prefix, (folder, names) in VENDOR_FILES.items():
            storage = FileSystemStorage(location=settings.NODE_MODULES / folder)
            storage.prefix = prefix  # type: ignore[attr-defined]  # read by collectstatic
            self.storages[prefix] = storage
            for name in names:
                self.files[f"{prefix}/{name}"] = storage.path(name)

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(
                f"The front-end file {path} is missing.",
                hint="Install the front-end packages with `make assets` (npm ci).",
                id="planwatch.E001",
            )
            for path, full in self.files.items()
            if not os.path.isfile(full)
        ]

    def find(self, path: str, find_all: bool = False) -> Any:  # str, or [] / [str]
        found = self.files.get(path)
        if found is None or not os.path.isfile(found):
            return []  # as Django's own finders answer "not here"
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for prefix, (_folder, names) in VENDOR_FILES.items():
            storage = self.storages[prefix]
            for name in names:
                if storage.exists(name):
                    yield name, storage
