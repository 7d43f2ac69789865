"""What of assessment the public may be shown (issue 13, item 1): an integration-index
edition and an assessment result edition, each only once published inside the system (the
planners' own 发布 step) — publishing to the public is a second, separate step. Registered
with publication in `AssessmentConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from planwatch.publication.kinds import Kind, register


def _index_zone(edition: Any) -> Any:
    return edition.method.plan.org_unit


def _index_refusal(edition: Any) -> str | Promise | None:
    if not edition.is_published:
        return _("指数版次尚未发布，不能公开。")
    return None


def _index_label(edition: Any) -> str:
    return f"{edition.method.title} 第{edition.number}版（{edition.year_from}–{edition.year_to}）"


def _result_zone(edition: Any) -> Any:
    return edition.zone


def _result_refusal(edition: Any) -> str | Promise | None:
    if not edition.is_published:
        return _("考核结果尚未发布，不能公开。")
    return None


def _result_label(edition: Any) -> str:
    zone = f"（{edition.zone.name}）" if edition.zone_id else ""
    return f"{edition.scheme.title}{zone} 第{edition.number}版"


def register_kinds() -> None:
    register(
        Kind(
            "index_edition",
            "assessment.IndexEdition",
            _("一体化发展指数"),
            _index_zone,
            _index_refusal,
            _index_label,
        )
    )
    register(
        Kind(
            "result_edition",
            "assessment.ResultEdition",
            _("考核结果"),
            _result_zone,
            _result_refusal,
            _result_label,
        )
    )
