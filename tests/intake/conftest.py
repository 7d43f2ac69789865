"""The intake tests run on the five bundled plans as ingested and the reference tree of units,
with the personas of tests/factories/personas.py (a 宜宾 data clerk, a 川南 planner)."""

from __future__ import annotations

from tests.indicators.conftest import south, yibin, zone

__all__ = ["south", "yibin", "zone"]
