"""Traceable figures: every number a document prints is registered here with what it is, the
query that produced it and the ids of the records behind it. The list is stored with the
document (its sidecar JSON, `Document.snapshot["figures"]`), so a reader can find where any
figure came from and a test can recompute each one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def fmt(value: float | int | None, digits: int = 2) -> str:
    """A figure as a 公文 prints it: no trailing zeros, thousands not separated."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(value: float | None, digits: int = 1) -> str:
    """0.5123 → 51.2%."""
    return "—" if value is None else f"{fmt(value * 100, digits)}%"


class Figures:
    """The figures of one document, in the order they are printed."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(
        self,
        label: str,
        value: Any,
        *,
        query: str,
        records: Mapping[str, Iterable[int]] | None = None,
        shown: str | None = None,
    ) -> str:
        """Register a figure and answer the text printed for it."""
        text = shown if shown is not None else (fmt(value) if not isinstance(value, str) else value)
        self.items.append(
            {
                "id": f"F{len(self.items) + 1}",
                "label": label,
                "value": value,
                "shown": text,
                "query": query,
                "records": {k: sorted(set(v)) for k, v in (records or {}).items()},
            }
        )
        return text
