from typing import Any

from django.apps import AppConfig


def _zone_of(survey: Any) -> Any:
    """The zone whose planners publish the results; None (province-wide planners) for a
    province-wide survey."""
    return survey.org_unit if survey.org_unit.kind == "zone" else None


def _refusal(survey: Any) -> Any:
    from django.utils.translation import gettext_lazy as _

    if survey.status == "draft":
        return _("问卷尚未开始征集，不能公开结果。")
    return None


class SurveysConfig(AppConfig):
    name = "planwatch.surveys"
    label = "surveys"
    verbose_name = "问卷"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from planwatch.publication.kinds import Kind, register

        register(Kind("survey", "surveys.Survey", _("问卷结果"), _zone_of, _refusal))
