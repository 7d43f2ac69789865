"""Writing the 区域一体化发展指数: the default method of a plan, indicators attached to its
tree, an edition computed from the observations as they are, published, corrected."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.assessment import index_methods as im
from planwatch.assessment.defaults import (
    DEFAULT_BASE_YEAR,
    DEFAULT_TITLE,
    DEFAULT_TREE,
    DEFAULT_VERSION,
)
from planwatch.assessment.models import (
    EditionStatus,
    IndexDirection,
    IndexEdition,
    IndexMethod,
    IndexNode,
    IndexValue,
    MissingInput,
    NodeLevel,
    Normalisation,
    Weighting,
)
from planwatch.audit.services import audit_record
from planwatch.indicators.choices import Direction, IndicatorStatus
from planwatch.indicators.models import Indicator, Observation
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.tasks.permissions import can_manage_plan


def _require_manager(actor: Any, plan: Plan) -> None:
    if not can_manage_plan(actor, plan):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以执行此操作。"))


def _audit(actor: Any, action: str, obj: Any, label: str, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=f"assessment.{type(obj).__name__.lower()}",
        target_id=obj.pk,
        target_label=label[:200],
        **kw,
    )


@transaction.atomic
def index_method_create_default(*, plan: Plan, actor: Any) -> IndexMethod:
    """The default method edition of ``plan``: the 成都平原 plan's chapters and sections as
    the tree (no indicator yet), fixed base 2020 = 100, equal weights."""
    _require_manager(actor, plan)
    if IndexMethod.objects.filter(plan=plan, version=DEFAULT_VERSION).exists():
        raise ValidationError(_("该规划已有默认指数方法。"))
    method = IndexMethod.objects.create(
        plan=plan,
        version=DEFAULT_VERSION,
        title=DEFAULT_TITLE,
        base_year=DEFAULT_BASE_YEAR,
        created_by=actor,
    )
    pos = 0
    for code, name, _heading, line, subs in DEFAULT_TREE:
        pos += 1
        dim = IndexNode.objects.create(
            method=method,
            level=NodeLevel.DIMENSION,
            code=code,
            name=name,
            line=line,
            position=pos,
        )
        for sub_code, sub_name, sub_line in subs:
            pos += 1
            IndexNode.objects.create(
                method=method,
                parent=dim,
                level=NodeLevel.SUBDIMENSION,
                code=sub_code,
                name=sub_name,
                line=sub_line,
                position=pos,
            )
    _audit(actor, "index.method_create", method, str(method))
    return method


def _locked(method: IndexMethod) -> bool:
    return method.editions.exists()


@transaction.atomic
def index_indicator_attach(
    *,
    method: IndexMethod,
    parent: IndexNode,
    indicator: Indicator,
    actor: Any,
    direction: str | None = None,
    weight: float | None = None,
) -> IndexNode:
    """Put a confirmed indicator of the plan under a sub-dimension. Its direction follows the
    indicator's (lower is better → negative) unless given."""
    _require_manager(actor, method.plan)
    if _locked(method):
        raise ValidationError(_("已有指数版次按此方法计算，方法不能再修改；请新建方法版本。"))
    if parent.method_id != method.pk or parent.level != NodeLevel.SUBDIMENSION:
        raise ValidationError(_("指标只能放在分项之下。"))
    if indicator.plan_id != method.plan_id or indicator.status != IndicatorStatus.CONFIRMED:
        raise ValidationError(_("只能选用本规划已确认的监测指标。"))
    if method.nodes.filter(indicator=indicator).exists():
        raise ValidationError(_("该指标已在指标体系中。"))
    if direction is None:
        direction = (
            IndexDirection.NEGATIVE
            if indicator.direction == Direction.LOWER
            else IndexDirection.POSITIVE
        )
    if direction not in IndexDirection.values:
        raise ValidationError(_("方向无效。"))
    if weight is not None and weight < 0:
        raise ValidationError(_("权重不能为负数。"))
    last = method.nodes.order_by("-position").first()
    node = IndexNode.objects.create(
        method=method,
        parent=parent,
        level=NodeLevel.INDICATOR,
        code=f"I{indicator.pk}",
        name=indicator.name,
        indicator=indicator,
        direction=direction,
        weight=weight,
        position=(last.position + 1) if last else 1,
    )
    _audit(
        actor,
        "index.indicator_attach",
        method,
        str(method),
        new={"node": node.code, "parent": parent.code, "direction": direction, "weight": weight},
    )
    return node


def method_tree(method: IndexMethod) -> list[dict[str, Any]]:
    """The whole tree as plain data (what an edition freezes): every dimension and
    sub-dimension, with its indicators, empty ones included."""
    nodes = list(method.nodes.select_related("indicator").order_by("position", "id"))
    children: dict[int | None, list[IndexNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)

    def node_data(n: IndexNode) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": n.code,
            "name": n.name,
            "level": n.level,
            "weight": n.weight,
            "line": n.line,
        }
        if n.level == NodeLevel.INDICATOR:
            d.update(
                direction=n.direction,
                indicator=n.indicator_id,
                unit=n.indicator.unit if n.indicator else "",
            )
        else:
            d["children"] = [node_data(c) for c in children.get(n.pk, [])]
        return d

    return [node_data(n) for n in children.get(None, []) if n.level == NodeLevel.DIMENSION]


def to_method(snapshot: dict[str, Any], **overrides: Any) -> im.Method:
    """The pure method of a frozen snapshot; dimensions and sub-dimensions without any
    indicator are left out (the method note names them)."""
    dims = []
    for d in snapshot["dimensions"]:
        subs = []
        for s in d["children"]:
            inds = tuple(
                im.IndicatorSpec(i["code"], i["name"], i["direction"], i["weight"])
                for i in s["children"]
            )
            if inds:
                subs.append(im.SubDimension(s["code"], s["name"], s["weight"], inds))
        if subs:
            dims.append(im.Dimension(d["code"], d["name"], d["weight"], tuple(subs)))
    return im.Method(
        tuple(dims),
        base_year=overrides.get("base_year", snapshot["base_year"]),
        normalisation=overrides.get("normalisation", snapshot["normalisation"]),
        weighting=overrides.get("weighting", snapshot["weighting"]),
    )


def index_places(plan: Plan) -> list[OrgUnit]:
    """The zone of the plan, then its prefectures (the 8 cities of 成都平原)."""
    zone = plan.org_unit
    if zone is None:
        raise ValidationError(_("该规划没有所属区域，无法计算一体化发展指数。"))
    cities = list(
        OrgUnit.objects.filter(parent=zone, kind=OrgUnitKind.PREFECTURE, is_active=True).order_by(
            "sort_order", "path"
        )
    )
    return [zone, *cities]


def _inputs(
    indicator_ids: list[int], places: list[OrgUnit], years: list[int]
) -> list[dict[str, Any]]:
    """The current, verified observations the index reads (unverified ones are not inputs:
    a published index shows verified figures only)."""
    rows = Observation.objects.filter(
        indicator_id__in=indicator_ids,
        place__in=places,
        year__in=years,
        is_current=True,
        verified_at__isnull=False,
    ).order_by("indicator_id", "place_id", "year")
    return [
        {
            "observation": o.pk,
            "indicator": o.indicator_id,
            "place": o.place_id,
            "year": o.year,
            "value": o.value,
            "source": o.source,
            "source_url": o.source_url,
        }
        for o in rows
    ]


def compute_snapshot(
    snapshot: dict[str, Any],
    places: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
    year_from: int,
    year_to: int,
    **overrides: Any,
) -> im.IndexResult:
    """The index of a frozen snapshot and inputs, optionally under another normalisation or
    weighting (the sensitivity view). Convergence is measured across the cities, not the zone."""
    method = to_method(snapshot, **overrides)
    if not method.dimensions:
        raise ValidationError(_("指标体系中还没有任何指标。"))
    data = {(f"I{r['indicator']}", str(r["place"]), r["year"]): r["value"] for r in inputs}
    place_keys = [str(p["id"]) for p in places]
    cities = [str(p["id"]) for p in places if p.get("kind") != OrgUnitKind.ZONE]
    try:
        return im.compute(
            method,
            data,
            place_keys,
            list(range(year_from, year_to + 1)),
            convergence_places=cities,
        )
    except im.MethodError as exc:
        raise ValidationError(str(exc)) from exc


# The normalisation × weighting variants the sensitivity view compares.
SENSITIVITY_VARIANTS = [
    (Normalisation.FIXED_BASE, Weighting.EQUAL),
    (Normalisation.FIXED_BASE, Weighting.SET),
    (Normalisation.MIN_MAX, Weighting.EQUAL),
    (Normalisation.MIN_MAX, Weighting.ENTROPY),
]


def sensitivity_key(normalisation: str, weighting: str) -> str:
    return f"{normalisation}|{weighting}"


def sensitivity_compute(
    snapshot: dict[str, Any],
    places: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
    year_from: int,
    year_to: int,
) -> dict[str, dict[str, float | None]]:
    """Each city's index in `year_to` under each of SENSITIVITY_VARIANTS, computed over all
    the places (the zone too, so the edition's own method gives the edition's own figures);
    a variant the method refuses is left out."""
    cities = [str(p["id"]) for p in places if p.get("kind") != OrgUnitKind.ZONE]
    out: dict[str, dict[str, float | None]] = {}
    for norm, weigh in SENSITIVITY_VARIANTS:
        try:
            res = compute_snapshot(
                snapshot,
                places,
                inputs,
                year_from,
                year_to,
                normalisation=str(norm),
                weighting=str(weigh),
            )
        except ValidationError:
            continue
        out[sensitivity_key(str(norm), str(weigh))] = {c: res.value(c, year_to) for c in cities}
    return out


@transaction.atomic
def index_edition_compute(
    *,
    method: IndexMethod,
    actor: Any,
    year_to: int,
    year_from: int | None = None,
    corrects: IndexEdition | None = None,
    reason: str = "",
) -> IndexEdition:
    """Compute a draft edition of the index from the observations as they are now. A
    correction of a published edition names it and says why."""
    _require_manager(actor, method.plan)
    year_from = method.base_year if year_from is None else year_from
    if year_from > year_to:
        raise ValidationError(_("起始年份不能晚于截止年份。"))
    if year_from < method.base_year:
        raise ValidationError(_("起始年份不能早于基期年份。"))
    if year_to - year_from > 30:
        raise ValidationError(_("年份跨度过大（最多 30 年）。"))
    if corrects is not None:
        corrects = IndexEdition.objects.get(pk=corrects.pk)
        if corrects.method_id != method.pk or not corrects.is_published:
            raise ValidationError(_("只能更正本方法下已发布的版次。"))
        if not reason.strip():
            raise ValidationError(_("更正须说明原因。"))
    tree = method_tree(method)
    snapshot = {
        "version": method.version,
        "title": method.title,
        "base_year": method.base_year,
        "normalisation": method.normalisation,
        "weighting": method.weighting,
        "dimensions": tree,
    }
    units = index_places(method.plan)
    places = [{"id": u.pk, "code": u.code, "name": u.name, "kind": u.kind} for u in units]
    indicator_ids = [i["indicator"] for d in tree for s in d["children"] for i in s["children"]]
    years = sorted({method.base_year, *range(year_from, year_to + 1)})
    inputs = _inputs(indicator_ids, units, years)
    result = compute_snapshot(snapshot, places, inputs, year_from, year_to)
    last = method.editions.order_by("-number").first()
    edition = IndexEdition.objects.create(
        method=method,
        number=(last.number + 1) if last else 1,
        year_from=year_from,
        year_to=year_to,
        corrects=corrects,
        reason=reason.strip(),
        method_snapshot=snapshot,
        places=places,
        inputs=inputs,
        weights=result.weights,
        convergence=[
            {"year": c.year, "places": c.places, "mean": c.mean, "cv": c.cv, "theil": c.theil}
            for c in result.convergence
        ],
        sensitivity=sensitivity_compute(snapshot, places, inputs, year_from, year_to),
        computed_by=actor,
        computed_at=timezone.now(),
    )
    IndexValue.objects.bulk_create(
        IndexValue(edition=edition, place_id=int(p), year=y, code=code, value=v)
        for (p, y), row in result.scores.items()
        for code, v in row.items()
    )
    MissingInput.objects.bulk_create(
        MissingInput(
            edition=edition,
            indicator_id=int(m.indicator.removeprefix("I")),
            place_id=int(m.place),
            year=m.year,
            reason=m.reason,
        )
        for m in result.missing
    )
    _audit(
        actor,
        "index.edition_compute",
        edition,
        str(edition),
        new={
            "years": [year_from, year_to],
            "inputs": len(inputs),
            "missing": len(result.missing),
            "corrects": corrects.pk if corrects else None,
        },
    )
    return edition


@transaction.atomic
def index_edition_publish(*, edition: IndexEdition, actor: Any) -> IndexEdition:
    """Publish a draft edition: from now on it is frozen and public."""
    _require_manager(actor, edition.method.plan)
    edition = IndexEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise ValidationError(_("该版次已发布。"))
    edition.status = EditionStatus.PUBLISHED
    edition.published_by = actor
    edition.published_at = timezone.now()
    edition.save(update_fields=["status", "published_by", "published_at"])
    _audit(actor, "index.edition_publish", edition, str(edition))
    return edition


@transaction.atomic
def index_method_copy(
    *,
    method: IndexMethod,
    actor: Any,
    version: str,
    normalisation: str | None = None,
    weighting: str | None = None,
    base_year: int | None = None,
) -> IndexMethod:
    """A new method edition: the same tree (weights, directions, indicators), optionally under
    another normalisation, weighting or base year. The way to change a method once an edition
    has been computed under it."""
    _require_manager(actor, method.plan)
    version = version.strip()
    if not version or len(version) > 32:
        raise ValidationError(_("请填写方法版本（不超过 32 个字符）。"))
    if IndexMethod.objects.filter(plan=method.plan, version=version).exists():
        raise ValidationError(_("该方法版本已存在。"))
    normalisation = normalisation or method.normalisation
    weighting = weighting or method.weighting
    if normalisation not in im.NORMALISATIONS or weighting not in im.WEIGHTINGS:
        raise ValidationError(_("标准化或赋权方法无效。"))
    base_year = method.base_year if base_year is None else base_year
    if not 1949 <= base_year <= 2100:
        raise ValidationError(_("基期年份无效。"))
    copy = IndexMethod.objects.create(
        plan=method.plan,
        version=version,
        title=method.title,
        base_year=base_year,
        normalisation=normalisation,
        weighting=weighting,
        note=method.note,
        created_by=actor,
    )
    new_ids: dict[int, IndexNode] = {}
    for n in method.nodes.order_by("position", "id"):
        parent = new_ids[n.parent_id] if n.parent_id is not None else None
        new_ids[n.pk] = IndexNode.objects.create(
            method=copy,
            parent=parent,
            level=n.level,
            code=n.code,
            name=n.name,
            weight=n.weight,
            direction=n.direction,
            indicator=n.indicator,
            line=n.line,
            position=n.position,
        )
    _audit(
        actor,
        "index.method_copy",
        copy,
        str(copy),
        new={"from": method.pk, "normalisation": normalisation, "weighting": weighting},
    )
    return copy


@transaction.atomic
def index_node_set_weight(*, node: IndexNode, actor: Any, weight: float | None) -> IndexNode:
    """Set (or clear: equal weight) the weight of a node, while no edition uses the method.
    The weights are used when the method's weighting is 设定权重."""
    _require_manager(actor, node.method.plan)
    if _locked(node.method):
        raise ValidationError(_("已有指数版次按此方法计算，方法不能再修改；请新建方法版本。"))
    if weight is not None and (weight < 0 or weight != weight or weight > 1e6):
        raise ValidationError(_("权重不能为负数。"))
    old = node.weight
    node.weight = weight
    node.save(update_fields=["weight"])
    _audit(
        actor,
        "index.node_weight",
        node.method,
        str(node.method),
        old={"node": node.code, "weight": old},
        new={"node": node.code, "weight": weight},
    )
    return node
