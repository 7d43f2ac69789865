"""Tasks, annual key-task lists (with their xlsx export and import), progress reports (with
their evidence files) and 督办 cases: list, detail and workflow actions. Signed in only
(token or session): task data is not public until a public portal exists. Every read starts
from the viewer's scope (the selectors); every object is loaded through its access helper,
so a missing object and one outside the caller's scope both answer 404. Actions take the
`version` the caller read and answer 409 when it is stale.

One router (in `common`); each module registers its operations on it when imported, so the
order of `MODULES` is the order of the paths in the OpenAPI document."""

from __future__ import annotations

from importlib import import_module

from planwatch.api.implementation.common import router

MODULES = ("tasks", "lists", "reports", "evidence", "cases")
for _module in MODULES:
    import_module(f"{__name__}.{_module}")

__all__ = ["router"]
