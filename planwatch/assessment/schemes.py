"""绩效考核 schemes (methods.md §3): the default scheme shipped from methods.md as data, a
year's scheme copied from it (or from another year's), edited as a draft, frozen when used.
Schemes are the province's: the province-wide planners (and administrators) write them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import is_admin, role_paths
from planwatch.assessment.defaults import (
    CHOICE_PARAMS,
    DEFAULT_BONUS_CAP,
    DEFAULT_GRADES,
    DEFAULT_SCHEME_ITEMS,
    RULE_PARAMS,
)
from planwatch.assessment.models import (
    AssessmentScheme,
    SchemeItem,
    SchemeStatus,
    Series,
)
from planwatch.audit.services import audit_record


def can_manage_schemes(user: Any) -> bool:
    """A planner whose scope is the whole province, or an administrator."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_admin(user) or any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def _require(user: Any) -> None:
    if not can_manage_schemes(user):
        raise PermissionDenied(_("只有省级规划处室人员可以管理考核方案。"))


def _audit(actor: Any, action: str, scheme: AssessmentScheme, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type="assessment.assessmentscheme",
        target_id=scheme.pk,
        target_label=scheme.title[:200],
        **kw,
    )


def default_scheme(series: str = Series.PREFECTURES) -> AssessmentScheme:
    """The default scheme of a series, created from methods.md's defaults the first time it
    is asked for (frozen: it is a template, copied for each year)."""
    if series not in Series.values:
        raise ValidationError(_("考核序列无效。"))
    existing = AssessmentScheme.objects.filter(series=series, is_default=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            scheme = AssessmentScheme.objects.create(
                series=series,
                title=_("默认考核方案（%(series)s）") % {"series": Series(series).label},
                status=SchemeStatus.FROZEN,
                is_default=True,
                grades=[list(g) for g in DEFAULT_GRADES],
                bonus_cap=DEFAULT_BONUS_CAP,
                frozen_at=timezone.now(),
            )
            SchemeItem.objects.bulk_create(
                SchemeItem(
                    scheme=scheme,
                    code=code,
                    name=name,
                    points=points,
                    rule=rule,
                    params=params,
                    source=source,
                    position=pos,
                )
                for pos, (code, name, points, rule, params, source) in enumerate(
                    DEFAULT_SCHEME_ITEMS, 1
                )
            )
    except IntegrityError:  # created meanwhile by another request
        return AssessmentScheme.objects.get(series=series, is_default=True)
    return scheme


@transaction.atomic
def scheme_copy(
    *, source: AssessmentScheme, year: int, actor: Any, series: str | None = None
) -> AssessmentScheme:
    """A draft scheme for ``year`` with the items of ``source``."""
    _require(actor)
    series = series or source.series
    if series not in Series.values:
        raise ValidationError(_("考核序列无效。"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("考核年度无效。"))
    title = _("%(year)s 年度%(series)s绩效考核方案") % {
        "year": year,
        "series": Series(series).label,
    }
    scheme = AssessmentScheme.objects.create(
        year=year,
        series=series,
        title=title,
        grades=source.grades,
        bonus_cap=source.bonus_cap,
        copied_from=source,
        created_by=actor,
    )
    SchemeItem.objects.bulk_create(
        SchemeItem(
            scheme=scheme,
            code=i.code,
            name=i.name,
            points=i.points,
            rule=i.rule,
            params={**RULE_PARAMS.get(i.rule, {}), **i.params},
            source=i.source,
            position=i.position,
        )
        for i in source.items.all()
    )
    _audit(actor, "scheme.copy", scheme, new={"from": source.pk, "year": year, "series": series})
    return scheme


@transaction.atomic
def scheme_item_update(
    *, item: SchemeItem, actor: Any, points: float, params: dict[str, Any] | None = None
) -> SchemeItem:
    """Change an item's points (and its rule's parameters) in a draft scheme. A number
    parameter lies in 0–100; ``when_nothing`` is "full" (按满分计) or "zero" (不得分)."""
    _require(actor)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=item.scheme_id)
    if scheme.is_frozen:
        raise ValidationError(_("方案已定稿，不能再修改；请复制一份新方案。"))
    if not 0 <= points <= 100:
        raise ValidationError(_("分值须在 0 到 100 之间。"))
    params = {**item.params, **(params or {})}  # the parameters not given keep their values
    allowed = set(item.params) | set(RULE_PARAMS.get(item.rule, {}))
    for key, value in params.items():
        if key not in allowed:
            raise ValidationError(_("计分参数无效。"))
        if key in CHOICE_PARAMS:
            if value not in CHOICE_PARAMS[key]:
                raise ValidationError(_("“无考核对象时”须为按满分计或不得分。"))
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(_("计分参数须为数字。")) from None
        if not 0 <= number <= 100:
            raise ValidationError(_("计分参数须在 0 到 100 之间。"))
        params[key] = number
    old = {"points": item.points, "params": item.params}
    item.points, item.params = points, params
    item.save(update_fields=["points", "params"])
    _audit(
        actor,
        "scheme.item_update",
        scheme,
        old=old,
        new={"item": item.code, "points": points, "params": params},
    )
    return item


@transaction.atomic
def scheme_freeze(*, scheme: AssessmentScheme, actor: Any) -> AssessmentScheme:
    """Freeze a draft: its items and thresholds no longer change. Points of the scored items
    must add up to 100."""
    _require(actor)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_frozen:
        raise ValidationError(_("方案已定稿。"))
    total = sum(i.points for i in scheme.items.all())
    if abs(total - 100) > 1e-9:
        raise ValidationError(
            _("各考核项目分值合计应为 100，现为 %(total)s。") % {"total": round(total, 2)}
        )
    scheme.status = SchemeStatus.FROZEN
    scheme.frozen_by = actor
    scheme.frozen_at = timezone.now()
    scheme.save(update_fields=["status", "frozen_by", "frozen_at"])
    _audit(actor, "scheme.freeze", scheme)
    return scheme
