"""The committed OpenAPI document (docs/openapi.json) and its comparison with the one the
code generates, for `planwatch openapi --check` and the tests."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from django.conf import settings

COMMITTED = Path(settings.PROJECT_DIR) / "docs" / "openapi.json"


def generated_schema() -> dict[str, Any]:
    from planwatch.api.api import api

    return dict(api.get_openapi_schema())


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _operations(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{method.upper()} {path}": op
        for path, methods in schema.get("paths", {}).items()
        for method, op in methods.items()
    }


def drift_summary(committed: str, generated: str) -> list[str]:
    """What differs between the committed and the generated document, as short lines:
    operations added, removed or changed, other sections changed, then a few diff lines."""
    try:
        old = json.loads(committed)
    except ValueError:
        return ["the committed document is not valid JSON"]
    new = json.loads(generated)
    lines: list[str] = []
    old_ops, new_ops = _operations(old), _operations(new)
    lines += [f"added:   {k}" for k in sorted(new_ops.keys() - old_ops.keys())]
    lines += [f"removed: {k}" for k in sorted(old_ops.keys() - new_ops.keys())]
    lines += [
        f"changed: {k}" for k in sorted(old_ops.keys() & new_ops.keys()) if old_ops[k] != new_ops[k]
    ]
    for section in sorted((old.keys() | new.keys()) - {"paths"}):
        if old.get(section) != new.get(section):
            lines.append(f"changed: {section}")
    diff = list(
        difflib.unified_diff(
            committed.splitlines(), generated.splitlines(), "committed", "generated", n=1
        )
    )
    if diff:
        lines.append("")
        lines += diff[:40]
        if len(diff) > 40:
            lines.append(f"… {len(diff) - 40} more diff lines")
    return lines
