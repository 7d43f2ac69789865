"""The layers of decision record 0014: the independent import check (scripts/check_layers.py)
passes on the real tree and catches what it must on a made-up one; every hook of
planwatch/core/hooks.py has its receivers once the apps are ready."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from planwatch.core import hooks

ROOT = Path(__file__).resolve().parents[2]


def _check_layers() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts/check_layers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_layers"] = module
    spec.loader.exec_module(module)
    return module


def test_every_import_of_planwatch_goes_down_the_layers() -> None:
    check = _check_layers()
    layers = check.read_layers(ROOT / "pyproject.toml")
    assert layers[0] == ["parsing", "env"]
    assert check.problems(ROOT / "planwatch", layers) == []


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "planwatch" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "planwatch"


def test_an_upward_import_inside_a_function_and_a_pair_are_caught(tmp_path: Path) -> None:
    check = _check_layers()
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "",
            "low/views.py": "def page():\n    from planwatch.high import models\n",
            "high/__init__.py": "",
            "high/models.py": "from ..low import views\n",
            "side/__init__.py": "from planwatch import other\n",
            "other/__init__.py": "",
            "stray/__init__.py": "",
        },
    )
    found = check.problems(package, [["low"], ["side", "other"], ["high"]])
    assert "planwatch/low/views.py:2: low imports high, a higher layer (inside a function)" in found
    assert "planwatch/side/__init__.py:1: side imports other, an independent sibling" in found
    assert "high and low import each other" in found
    assert "planwatch.stray stands in no layer: add it to the layers contract" in found


@pytest.mark.parametrize("hook", hooks.ALL, ids=lambda h: h.name)
def test_every_hook_has_its_receivers_once_the_apps_are_ready(hook: hooks.Hook) -> None:
    assert hook.receivers, f"{hook.name}: no app connected a receiver in its AppConfig.ready"
    for receiver in hook.receivers:
        caller_app = hook.caller.split(".")[0]
        assert not receiver.__module__.startswith(f"planwatch.{caller_app}."), (
            "a hook is for a higher app: the caller's own app calls its code directly"
        )


def test_a_hook_connects_a_receiver_once_and_merges_contributions() -> None:
    hook = hooks.Hook("probe", "tests", "a hook for this test")

    def first(**kw: object) -> dict[str, object]:
        return {"a": 1, "b": kw["x"]}

    hook.connect(first)
    hook.connect(first)
    hook.connect(lambda **kw: {"b": 3})
    assert len(hook.receivers) == 2
    assert hook.merged(x=2) == {"a": 1, "b": 3}
