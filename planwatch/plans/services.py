"""Writing plans: ingesting a document turns it into stored plans, versions and nodes in one
transaction, with one audit event. Used alike by the upload page, `planwatch ingest`,
`planwatch setup` and the tests."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import has_role, is_admin, is_planner, role_paths
from planwatch.audit.services import audit_record
from planwatch.core import hooks
from planwatch.core.bulk import rows_insert
from planwatch.core.types import Actor
from planwatch.orgunits.choices import OrgUnitKind
from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.places import unit_code_counts
from planwatch.parsing import ParseError, ParseResult, parse_bytes
from planwatch.parsing import model as pm
from planwatch.plans.choices import PlanStatus, QuantityRole
from planwatch.plans.keys import (
    KeyedNode,
    NodeSignature,
    VersionDiff,
    iter_signatures,
    keyed_nodes,
    signature,
    version_diff,
)
from planwatch.plans.models import (
    Node,
    NodePlace,
    PlaceMention,
    Plan,
    PlanVersion,
    Quantity,
    SourceDocument,
)


@dataclass
class IngestResult:
    """What an ingest did: the document, whether it was new, the plan versions it holds
    (created now, or found when the same bytes were ingested before) and parser warnings."""

    document: SourceDocument
    created: bool
    versions: list[PlanVersion] = field(default_factory=list)
    # Plans the document holds unchanged (same node tree as their current version).
    unchanged: list[Plan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if not self.created:
            return _("%(name)s 已存在（%(sha)s…），未作任何更改") % {
                "name": self.document.name,
                "sha": self.document.sha256[:12],
            }
        parts = [f"{v.title} v{v.number}" for v in self.versions]
        message = _("%(name)s 已导入：%(plans)s") % {
            "name": self.document.name,
            "plans": _("；").join(parts) or _("无新版本"),
        }
        if self.unchanged:
            message += _("（%(n)d 个规划与现行版本相同，未生成新版本）") % {
                "n": len(self.unchanged)
            }
        return message


@dataclass
class _Reference:
    """The organisation units an ingest links to, read once per ingest."""

    by_adcode: dict[str, int]
    by_code: dict[str, int]
    zones: list[OrgUnit]


def _reference() -> _Reference:
    rows = list(OrgUnit.objects.values_list("code", "adcode", "pk"))
    zones = list(OrgUnit.objects.filter(kind=OrgUnitKind.ZONE).order_by("sort_order"))
    return _Reference(
        by_adcode={a: pk for _c, a, pk in rows if a},
        by_code={c: pk for c, _a, pk in rows},
        zones=zones,
    )


def plan_ingest(
    *,
    data: bytes,
    name: str,
    actor: Actor,
    parsed: ParseResult | None = None,
    publish: bool = False,
) -> IngestResult:
    """Store the plans of `data` (see `_ingest`). A new plan is a draft, read by planners
    only, until a planner publishes it; with `publish=True` (`planwatch ingest --publish`,
    `setup` for the bundled plans) every plan this ingest stored a version of is published
    at once. A plan already known keeps its state."""
    result = _ingest(data=data, name=name, actor=actor, parsed=parsed)
    if publish and result.created:
        plans = {v.plan_id: v.plan for v in result.versions}
        plans.update({p.pk: p for p in result.unchanged})
        for plan in plans.values():
            if plan.status != PlanStatus.PUBLISHED:
                plan_publish(plan=plan, actor=actor)
    return result


def _ingest(
    *, data: bytes, name: str, actor: Actor, parsed: ParseResult | None = None
) -> IngestResult:
    """Parse `data` and store every plan it holds, all or nothing.

    The same bytes a second time change nothing (the result says "already present"). A plan
    already known by its title gets a new version with a diff against its previous one.
    `parsed` may pass the parse of exactly these bytes (bulk tools, tests) to skip parsing.
    Raises ParseError when the document cannot be parsed; the database is then untouched.
    `actor=None` is the system itself (set-up, the command line); a user must be a planner.
    """
    if actor is not None and not is_planner(actor):
        raise PermissionDenied(_("只有规划处室人员可以导入规划。"))
    sha = hashlib.sha256(data).hexdigest()
    existing = _document_with(sha)
    if existing is not None:
        return _already_present(existing)
    result = parsed if parsed is not None else parse_bytes(data, name=name)
    if result.source.sha256 and result.source.sha256 != sha:
        raise ValueError("the parse result given is not of these bytes")
    if not result.plans:
        raise ParseError(name, _("未识别出任何规划"))
    try:
        with transaction.atomic():
            return _store_document(data=data, name=name, sha=sha, result=result, actor=actor)
    except IntegrityError:
        # Someone ingested the same bytes at the same moment: theirs won, ours is a no-op.
        existing = _document_with(sha)
        if existing is None:
            raise
        return _already_present(existing)


def _document_with(sha: str) -> SourceDocument | None:
    return SourceDocument.objects.filter(sha256=sha).defer("content").first()


def _already_present(document: SourceDocument) -> IngestResult:
    versions = list(document.versions.select_related("plan").order_by("index_in_document"))
    return IngestResult(document=document, created=False, versions=versions)


def _store_document(
    *, data: bytes, name: str, sha: str, result: ParseResult, actor: Actor
) -> IngestResult:
    hooks.plan_ingest_storing.send()
    src = result.source
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    document = SourceDocument.objects.create(
        sha256=sha,
        name=name[:255],
        format=src.format,
        encoding=src.encoding or "",
        chars=src.chars,
        pages=src.pages,
        size=len(data),
        content=data,
        warnings=[{"code": w.code, "message": w.message, "line": w.line} for w in result.warnings],
        ingested_by_id=user_id,
    )
    ref = _reference()
    versions: list[PlanVersion] = []
    unchanged: list[Plan] = []
    zones: list[OrgUnit | None] = []
    for i, parsed_plan in enumerate(result.plans):
        stored, zone = _store_plan(document=document, index=i, parsed=parsed_plan, ref=ref)
        if isinstance(stored, PlanVersion):
            versions.append(stored)
            zones.append(zone)
        else:
            unchanged.append(stored)
    # Once for the document (search builds one dictionary for all its plans), before the
    # versions are marked current, so that a receiver still sees each plan's previous one.
    hooks.plan_versions_stored.send(versions=versions)
    for version, zone in zip(versions, zones, strict=True):
        _mark_current(version, zone)
    audit_record(
        actor=actor,
        action="plan.ingest",
        target_type="source_document",
        target_id=document.pk,
        target_label=document.name,
        new={
            "sha256": sha,
            "name": document.name,
            "size": len(data),
            "versions": [
                {"plan": v.plan_id, "title": v.title, "number": v.number, "diff": _diff_counts(v)}
                for v in versions
            ],
            "unchanged": [p.pk for p in unchanged],
        },
    )
    warnings = [f"{w.line or '-'}: {w.message}" for w in result.warnings]
    return IngestResult(
        document=document,
        created=True,
        versions=versions,
        unchanged=unchanged,
        warnings=warnings,
    )


def _diff_counts(version: PlanVersion) -> dict[str, int]:
    diff: dict[str, Any] = version.diff or {}
    return {k: len(diff.get(k, [])) for k in ("added", "removed", "changed")}


def _zone_for(title: str, zones: list[OrgUnit]) -> OrgUnit | None:
    """The zone a plan is for: the zone whose name the title contains (longest wins)."""
    named = [z for z in zones if z.name and z.name in title]
    return max(named, key=lambda z: len(z.name)) if named else None


def _plan_for(title: str, zone: OrgUnit | None) -> Plan:
    plan = Plan.objects.select_for_update().filter(title=title).first()
    if plan is not None:
        return plan
    slug = _slug_for(title, zone)
    order = (Plan.objects.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    return Plan.objects.create(title=title, slug=slug, sort_order=order, org_unit=zone)


def _slug_for(title: str, zone: OrgUnit | None) -> str:
    base = zone.code.split(":", 1)[-1] if zone is not None else ""
    base = base or "plan-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    slug, n = base[:60], 1
    while Plan.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[:56]}-{n}"
    return slug


def _store_plan(
    *, document: SourceDocument, index: int, parsed: pm.Plan, ref: _Reference
) -> tuple[PlanVersion | Plan, OrgUnit | None]:
    """Store one parsed plan as a new version of its plan (not yet marked current); when its
    node tree is the same as the current version's (a revised document that left this plan
    alone), store nothing and return the plan. With the zone the title names."""
    # A plan is known by its title (as stored: the column holds 255 characters); a parse
    # without one is named after the document so it is still kept and findable.
    title = (parsed.title.strip() or document.name)[:255]
    zone = _zone_for(title, ref.zones)
    plan = _plan_for(title, zone)
    keyed = keyed_nodes(parsed.nodes)
    previous = plan.versions.order_by("-number").first()
    diff: VersionDiff | dict[str, Any] = {}
    if previous is not None:
        diff = version_diff(
            _stored_signatures(previous), iter_signatures(keyed), previous=previous.number
        )
        if not (diff["added"] or diff["removed"] or diff["changed"]):
            return plan, zone
    version = PlanVersion.objects.create(
        plan=plan,
        document=document,
        index_in_document=index,
        number=(previous.number + 1) if previous is not None else 1,
        title=title,
        line=parsed.line,
        page=parsed.page,
        cities=list(parsed.cities),
        diff=diff,
    )
    nodes = _store_nodes(version, keyed)
    _store_quantities(version, parsed, nodes)
    _store_place_mentions(version, parsed.places, ref)
    _store_node_places(nodes, ref)
    return version, zone


def _mark_current(version: PlanVersion, zone: OrgUnit | None) -> None:
    plan = version.plan
    plan.current_version = version
    if plan.org_unit_id is None and zone is not None:
        plan.org_unit = zone
    plan.save(update_fields=["current_version", "org_unit"])


def _stored_signatures(version: PlanVersion) -> list[NodeSignature]:
    rows = version.nodes.order_by("seq").values_list(
        "key", "kind", "label", "title", "text", "projects", "rows"
    )
    return [
        signature(key=k, kind=kd, label=lb, title=t, text=tx, projects=p, rows=r)
        for k, kd, lb, t, tx, p, r in rows
    ]


def _store_nodes(version: PlanVersion, keyed: list[KeyedNode]) -> list[Node]:
    """Insert the tree level by level (parents first, so children can point at them) with
    one insert per depth; returns the nodes in document order, with their keys."""
    by_key: dict[str, Node] = {}
    ordered: list[Node] = []
    depth_of: dict[str, int] = {}
    levels: dict[int, list[Node]] = {}
    for k in keyed:
        n = k.node
        depth = 0 if k.parent_key is None else depth_of[k.parent_key] + 1
        depth_of[k.key] = depth
        obj = Node(
            version=version,
            seq=k.seq,
            key=k.key,
            kind=n.kind,
            number=n.number,
            label=(n.label or "")[:32],
            title=n.title,
            text=n.text,
            level=n.level,
            line=n.line,
            end_line=max(n.end_line, n.line),
            page=n.page,
            projects=list(n.projects or []),
            rows=n.rows,
        )
        by_key[k.key] = obj
        ordered.append(obj)
        levels.setdefault(depth, []).append(obj)
    parents = {k.key: k.parent_key for k in keyed}
    for depth in sorted(levels):
        batch = levels[depth]
        for obj in batch:
            parent_key = parents[obj.key]
            if parent_key is not None:
                obj.parent_id = by_key[parent_key].pk
        rows_insert(Node, _NODE_FIELDS, [[getattr(o, f) for f in _NODE_FIELDS] for o in batch])
        # The new rows' keys, by their place in the version (one query per depth).
        pk_of = dict(Node.objects.filter(version=version).values_list("seq", "pk"))
        for obj in batch:
            obj.pk = pk_of[obj.seq]
            obj._state.adding = False
            obj._state.db = DEFAULT_DB_ALIAS
    return ordered


_NODE_FIELDS = (
    "version_id",
    "parent_id",
    "seq",
    "key",
    "kind",
    "number",
    "label",
    "title",
    "text",
    "level",
    "line",
    "end_line",
    "page",
    "projects",
    "rows",
)


_QUANTITY_FIELDS = (
    "version_id",
    "node_id",
    "role",
    "text",
    "indicator",
    "value",
    "unit",
    "year",
    "comparator",
    "kind",
    "attribute",
    "base_value",
    "base_year",
    "origin",
    "value_text",
    "normalised_value",
    "normalised_unit",
    "comparator_text",
    "year_stated",
    "line",
    "page",
    "seq",
)


def _store_quantities(version: PlanVersion, parsed: pm.Plan, nodes: list[Node]) -> None:
    """Targets, baselines and action targets, each linked to the innermost node whose lines
    hold it."""
    starts = [n.line for n in nodes]
    rows: list[tuple[Any, ...]] = []
    for role, items in (
        (QuantityRole.TARGET, parsed.targets),
        (QuantityRole.BASELINE, parsed.baselines),
        (QuantityRole.ACTION_TARGET, parsed.action_targets),
    ):
        for seq, q in enumerate(items):
            node = _innermost(nodes, starts, q.line)
            rows.append(
                (
                    version.pk,
                    node.pk if node is not None else None,
                    role.value,
                    q.text,
                    q.indicator[:255],
                    q.value,
                    (q.unit or "")[:32],
                    q.year,
                    (q.comparator or "")[:4],
                    q.kind,
                    (q.attribute or "")[:8],
                    q.base_value,
                    q.base_year,
                    (q.origin or "")[:16],
                    (q.value_text or "")[:64],
                    q.normalised_value,
                    (q.normalised_unit or "")[:32],
                    (q.comparator_text or "")[:32],
                    q.year_stated,
                    q.line,
                    q.page,
                    seq,
                )
            )
    rows_insert(Quantity, _QUANTITY_FIELDS, rows)


def _innermost(nodes: list[Node], starts: list[int], line: int) -> Node | None:
    """The last node (in document order) starting at or before `line` that still spans it;
    document order is depth-first, so that is the innermost one."""
    i = bisect.bisect_right(starts, line) - 1
    while i >= 0:
        if nodes[i].line <= line <= nodes[i].end_line:
            return nodes[i]
        i -= 1
    return None


def _store_place_mentions(version: PlanVersion, places: list[pm.Place], ref: _Reference) -> None:
    rows_insert(
        PlaceMention,
        ("version_id", "org_unit_id", "name", "adcode", "level", "count"),
        [
            (
                version.pk,
                ref.by_adcode.get(p.adcode or ""),
                p.name[:64],
                (p.adcode or "")[:12],
                p.level,
                p.count,
            )
            for p in places
        ],
    )


def _store_node_places(nodes: list[Node], ref: _Reference) -> None:
    """Which organisation units each node names, counted by the gazetteer's matcher on the
    node's own title and text (not its children's, so a mention is listed once). The parse
    matched the same texts when it counted the plan's places; the matcher keeps those
    matches (`planwatch.parsing.places`), so an ingest right after its parse reuses them."""
    rows: list[tuple[int, int, int]] = []
    for node in nodes:
        for code, count in unit_code_counts((node.title, node.text)).items():
            unit_id = ref.by_code.get(code)
            if unit_id is not None:
                rows.append((node.pk, unit_id, count))
    rows_insert(NodePlace, ("node_id", "org_unit_id", "count"), rows)


# Publishing and withdrawing plans (issue 9 item 12; decision record 0017).


def can_publish_plan(user: Any, plan: Plan) -> bool:
    """A planner whose scope covers the plan's zone (a plan without a zone: a province-wide
    planner), or an administrator."""
    if is_admin(user):
        return True
    if plan.org_unit is not None:
        return has_role(user, Role.PLANNER, plan.org_unit)
    return any(p.count("/") <= 2 for p in role_paths(user, Role.PLANNER))


def _require_publisher(actor: Actor, plan: Plan) -> None:
    if actor is not None and not can_publish_plan(actor, plan):
        raise PermissionDenied(_("只有负责该规划的规划处室人员可以发布、撤回或删除规划。"))


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_publish(*, plan: Plan, actor: Actor) -> Plan:
    """Make a draft or withdrawn plan public (audited). Publishing a published plan changes
    nothing."""
    _require_publisher(actor, plan)
    locked = _locked(plan)
    if locked.status == PlanStatus.PUBLISHED:
        return locked
    if locked.current_version_id is None:
        raise ValidationError(_("该规划没有可发布的版本。"))
    old = {"status": locked.status, "unpublished_reason": locked.unpublished_reason}
    locked.status = PlanStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = actor if actor is not None and actor.is_authenticated else None
    locked.unpublished_reason = ""
    locked.save(update_fields=["status", "published_at", "published_by", "unpublished_reason"])
    audit_record(
        actor=actor,
        action="plan.publish",
        target_type="plan",
        target_id=locked.pk,
        target_label=locked.title,
        old=old,
        new={"status": locked.status},
    )
    return locked


@transaction.atomic
def plan_unpublish(*, plan: Plan, actor: Actor, reason: str) -> Plan:
    """Withdraw a published plan from the public, with a reason (required, audited)."""
    _require_publisher(actor, plan)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回原因。")})
    locked = _locked(plan)
    if locked.status != PlanStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的规划可以撤回。"))
    locked.status = PlanStatus.UNPUBLISHED
    locked.unpublished_reason = reason[:2000]
    locked.save(update_fields=["status", "unpublished_reason"])
    audit_record(
        actor=actor,
        action="plan.unpublish",
        target_type="plan",
        target_id=locked.pk,
        target_label=locked.title,
        old={"status": PlanStatus.PUBLISHED},
        new={"status": locked.status, "reason": locked.unpublished_reason},
    )
    return locked


@transaction.atomic
def plan_delete(*, plan: Plan, actor: Actor) -> None:
    """Delete a draft or withdrawn plan with its versions and nodes (audited). A published
    plan must be withdrawn first; a plan that tasks, indicators or projects refer to cannot
    be deleted at all (it can stay withdrawn). Source documents no other plan uses go too."""
    _require_publisher(actor, plan)
    locked = _locked(plan)
    if locked.status == PlanStatus.PUBLISHED:
        raise ValidationError(_("已发布的规划不能删除，请先撤回发布。"))
    title, pk = locked.title, locked.pk
    versions = list(locked.versions.select_related("document").defer("document__content"))
    documents = {v.document_id for v in versions}
    try:
        with transaction.atomic():
            Plan.objects.filter(pk=pk).update(current_version=None)
            Node.objects.filter(version__plan=locked).delete()
            PlanVersion.objects.filter(plan=locked).delete()
            locked.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            _("该规划已有年度任务清单、任务、指标或项目引用，不能删除；可以撤回发布。")
        ) from None
    hooks.plan_deleted.send(plan_id=pk)
    SourceDocument.objects.filter(pk__in=documents, versions__isnull=True).delete()
    audit_record(
        actor=actor,
        action="plan.delete",
        target_type="plan",
        target_id=pk,
        target_label=title,
        old={"title": title, "versions": [v.number for v in versions]},
    )
