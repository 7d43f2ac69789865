"""The front-end files from node_modules: every one a page loads is found and collected, and
nothing else of the packages is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.management import call_command

from planwatch.core.vendor import VENDOR_FILES, VendorFinder

ROOT = Path(__file__).resolve().parents[2]
LISTED = {f"{prefix}/{name}" for prefix, (_, names) in VENDOR_FILES.items() for name in names}


def _loaded_by_pages() -> set[str]:
    """Every `{% static 'vendor/…' %}` of the templates and the static path the scripts build."""
    found: set[str] = set()
    for path in (ROOT / "planwatch").rglob("*"):
        if path.suffix in {".html", ".js", ".py"} and "static/vendor" not in str(path):
            text = path.read_text(encoding="utf-8", errors="ignore")
            found |= set(re.findall(r"""static ['"](vendor/[^'"]+)['"]""", text))
    return found


def test_every_vendor_file_a_page_loads_is_listed_and_found() -> None:
    loaded = _loaded_by_pages()
    assert loaded, "the templates load front-end files through {% static %}"
    assert loaded <= LISTED, f"not in VENDOR_FILES: {sorted(loaded - LISTED)}"
    for path in LISTED:
        found = finders.find(path)
        assert found and Path(str(found)).is_file(), path
    assert VendorFinder().check() == []


def test_other_builds_of_the_packages_are_not_found() -> None:
    assert finders.find("vendor/echarts/dist/echarts.js") is None
    assert finders.find("vendor/echarts/dist/echarts.min.js.map") is None
    assert finders.find("vendor/echarts-v4-maps/map/json/province/anhui.json") is None


def test_collectstatic_copies_only_the_listed_vendor_files(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--noinput", verbosity=0)
    collected = {
        p.relative_to(tmp_path).as_posix()
        for p in (tmp_path / "vendor").rglob("*")
        if p.is_file() and p.suffix not in {".gz", ".br"}
    }
    assert collected == LISTED


def test_a_missing_file_is_an_error_that_says_how_to_install_it(settings: Any) -> None:
    settings.NODE_MODULES = Path("/nonexistent/node_modules")
    errors = VendorFinder().check()
    assert len(errors) == len(LISTED)
    assert all("make assets" in (e.hint or "") and e.id == "planwatch.E001" for e in errors)
