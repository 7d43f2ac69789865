"""Workflow plumbing every domain uses (tasks, reports, 督办 cases, projects, indicators): the
service errors and the one race-free way to change an object's state.

A state change is a conditional UPDATE — `… WHERE id = ? AND status = old AND version = n` —
that also bumps the row's `version`. Zero rows updated means someone else changed the object
since it was read; the caller gets `ConcurrentUpdate` instead of silently overwriting their
work. This behaves the same on SQLite and PostgreSQL and needs no row locks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A request a service refuses; the message is meant for the user."""


class ConcurrentUpdate(ServiceError):
    """The object changed since it was read (another user saved or moved it first)."""


class InvalidTransition(ServiceError):
    """The requested state change is not allowed from the object's current state."""


def check_transition(allowed: Mapping[str, Mapping[str, Any]], *, current: str, target: str) -> Any:
    """Return what the transition map says about `current → target` (e.g. the role that may
    make it), or raise `InvalidTransition`."""
    targets = allowed.get(current, {})
    if target not in targets:
        raise InvalidTransition(
            _("不能从“%(current)s”变更为“%(target)s”") % {"current": current, "target": target}
        )
    return targets[target]


def conditional_update(
    obj: models.Model, *, expected: Mapping[str, Any], values: Mapping[str, Any]
) -> None:
    """UPDATE `obj`'s row with `values` and `version = version + 1` only if its stored
    `version` (and each field in `expected`) still match what the caller read. Refreshes
    `obj` in memory; raises `ConcurrentUpdate` when no row matched."""
    manager = type(obj)._default_manager
    version = getattr(obj, "version")  # noqa: B009 — every workflow model has one
    rows = manager.filter(pk=obj.pk, version=version, **expected).update(
        version=F("version") + 1, **values
    )
    if rows != 1:
        raise ConcurrentUpdate(_("该记录已被他人修改或状态已变化，请刷新后重试。"))
    for field, value in values.items():
        setattr(obj, field, value)
    setattr(obj, "version", version + 1)  # noqa: B010
