"""Reference data and plans for the web tests.

| fixture         | what                                                                   |
|-----------------|------------------------------------------------------------------------|
| `orgunits`      | the reference tree (四川省, 5 zones, 21 prefectures, 183 counties, 省直部门) |
| `bundled_plans` | the five plans of the bundled document, ingested (current versions)      |
| `sample_plans`  | two small hand-made plans (川南, 成都平原) ingested from `sample_parse()`   |

All are loaded inside each test's own transaction, so nothing outlives a test and tests
that build units or plans of their own never meet them: the reference tree costs about 0.1 s
(259 rows), the bundled plans about a second (their parse is cached for the session).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.services import orgunits_load_reference
from planwatch.parsing import ParseResult, parse_bytes
from planwatch.parsing.model import Node, Place, Plan, Quantity, Source
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Node as StoredNode
from planwatch.plans.models import NodePlace, PlanVersion, SourceDocument
from planwatch.plans.models import Plan as StoredPlan
from planwatch.plans.services import IngestResult, plan_ingest
from planwatch.search.services import index_plan_version

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"


@functools.cache
def bundled_bytes() -> bytes:
    return BUNDLED.read_bytes()


@functools.cache
def bundled_parse() -> ParseResult:
    """The parse of the bundled file, once per session (treat as read-only)."""
    return parse_bytes(bundled_bytes(), name=BUNDLED.name)


def ensure_reference() -> None:
    if not OrgUnit.objects.filter(code="510000").exists():
        orgunits_load_reference(actor=None)


def ensure_bundled() -> IngestResult:
    ensure_reference()
    return plan_ingest(
        data=bundled_bytes(), name=BUNDLED.name, actor=None, parsed=bundled_parse(), publish=True
    )


@pytest.fixture(autouse=True)
def _static_files_on_demand(settings: Any) -> None:
    """Whitenoise scans every static file (node_modules included, ~0.5 s) each time a test
    client builds its middleware; looking files up per request instead keeps tests fast."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def orgunits(db: None) -> dict[str, OrgUnit]:
    """Every reference unit by code (adcode, "zone:<code>", "dept:<slug>")."""
    ensure_reference()
    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def bundled_plans(orgunits: dict[str, OrgUnit]) -> list[StoredPlan]:
    """The five plans of the bundled document, in document order, ingested in the test's
    transaction (about a second: the parse is cached, the store is not)."""
    result = ensure_bundled()
    ids = [v.plan_id for v in result.versions]
    plans = StoredPlan.objects.select_related("current_version", "org_unit").in_bulk(ids)
    return [plans[i] for i in ids]


# --- small hand-made plans --------------------------------------------------------------

# Titles differ from the bundled plans' so both sets can live in one database.
SOUTH_TITLE = "川南经济区“十四五”一体化发展规划（样例）"
PLAIN_TITLE = "成都平原经济区“十四五”一体化发展规划（样例）"
SAMPLE_TEXT = "\n".join(f"第 {i} 行" for i in range(1, 401)) + "\n"


def node(
    kind: Any,
    title: str,
    text: str = "",
    *,
    line: int,
    number: int | None = None,
    label: str | None = None,
    level: int = 1,
    page: int | None = None,
    children: list[Node] | None = None,
    projects: list[str] | None = None,
) -> Node:
    return Node(
        kind=kind,
        number=number,
        label=label,
        title=title,
        text=text,
        level=level,
        line=line,
        end_line=line + 1,
        page=page if page is not None else line // 40 + 1,
        children=children or [],
        projects=projects,
    )


def _fix_ends(nodes: list[Node]) -> int:
    """Make each node span its children (as the parser does)."""
    end = 0
    for n in nodes:
        n.end_line = max(n.end_line, _fix_ends(n.children))
        end = max(end, n.end_line)
    return end


def south_plan(*, revised: bool = False) -> Plan:
    provision_text = (
        "推动宜宾、泸州组团发展，建设成自宜高铁。"
        if not revised
        else "推动宜宾、泸州、自贡组团发展，加快建设成自宜高铁。"
    )
    section_children = [
        node("provision", "提升宜宾泸州发展能级", provision_text, line=120, level=3),
        node(
            "box",
            "重大交通项目",
            line=130,
            number=1,
            label="专栏 1",
            level=3,
            children=[
                node(
                    "box_item",
                    "铁路",
                    "建设成自宜高铁、渝昆高铁。",
                    line=132,
                    number=1,
                    label="1",
                    level=4,
                    projects=["成自宜高铁", "渝昆高铁"],
                ),
            ],
        ),
    ]
    if not revised:
        section_children.append(
            node("provision", "加强内江自贡协作", "推动内自同城化发展。", line=140, level=3)
        )
    else:
        section_children.append(
            node("provision", "建设翠屏区滨江新区", "支持翠屏区建设。", line=150, level=3)
        )
    background = (
        []
        if revised
        else [
            node("paragraph", "", "川南经济区包括自贡、泸州、内江、宜宾四市。", line=102, level=2),
        ]
    )
    nodes = [
        node("chapter", "发展基础", line=100, number=1, label="第一章", children=background),
        node(
            "chapter",
            "空间布局",
            line=110,
            number=2,
            label="第二章",
            children=[
                node(
                    "section",
                    "做强中心城市",
                    line=115,
                    number=1,
                    label="第一节",
                    level=2,
                    children=section_children,
                ),
            ],
        ),
    ]
    if revised:
        nodes.append(
            node(
                "chapter",
                "保障措施",
                line=160,
                number=3,
                label="第三章",
                children=[
                    node(
                        "provision",
                        "健全实施机制",
                        "建立川南经济区联席会议制度。",
                        line=162,
                        level=2,
                    ),
                ],
            )
        )
    _fix_ends(nodes)
    return Plan(
        title=SOUTH_TITLE,
        line=90,
        page=3,
        cities=["自贡", "泸州", "内江", "宜宾"],
        nodes=nodes,
        targets=[
            Quantity(
                "地区生产总值年均增长 7% 左右",
                "地区生产总值",
                7.0,
                "%",
                2025,
                "~",
                "growth",
                "预期性",
                121,
                4,
            ),
            Quantity(
                "森林覆盖率达到 45%", "森林覆盖率", 45.0, "%", 2025, ">=", "level", "约束性", 121, 4
            ),
        ],
        baselines=[
            Quantity(
                "2020 年地区生产总值 8000 亿元",
                "地区生产总值",
                8000.0,
                "亿元",
                2020,
                None,
                "level",
                None,
                103,
                3,
            ),
        ],
        places=[
            Place("宜宾", "511500", "prefecture", 3),
            Place("泸州", "510500", "prefecture", 2),
            Place("成渝地区双城经济圈", None, "region", 1),
        ],
    )


def plain_plan() -> Plan:
    nodes = [
        node(
            "chapter",
            "总体要求",
            line=200,
            number=1,
            label="第一章",
            children=[
                node(
                    "provision", "建设成德眉资同城化", "推动成都、德阳同城发展。", line=205, level=2
                ),
            ],
        ),
    ]
    _fix_ends(nodes)
    return Plan(
        title=PLAIN_TITLE,
        line=190,
        page=6,
        cities=["成都", "德阳", "眉山", "资阳"],
        nodes=nodes,
        places=[Place("成都", "510100", "prefecture", 2)],
    )


def sample_parse(*, revised: bool = False, text: str = SAMPLE_TEXT) -> tuple[bytes, ParseResult]:
    """Bytes and a hand-made parse of them: the 川南 plan (or its revision) and the 成都平原
    plan, shaped as the parser shapes them."""
    data = (text + ("修订稿\n" if revised else "")).encode("utf-8")
    source = Source(
        name="sample.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        encoding="utf-8",
        chars=len(data.decode()),
        pages=10,
    )
    plans = [south_plan(revised=revised)] + ([] if revised else [plain_plan()])
    return data, ParseResult(source=source, plans=plans)


def ingest_sample(*, revised: bool = False, actor: Any = None) -> IngestResult:
    data, parsed = sample_parse(revised=revised)
    name = "sample-revised.txt" if revised else "sample.txt"
    # Test plans are published, as before publishing existed (the publishing tests make
    # drafts of their own).
    return plan_ingest(data=data, name=name, actor=actor, parsed=parsed, publish=True)


@pytest.fixture
def sample_plans(orgunits: dict[str, OrgUnit]) -> Iterator[IngestResult]:
    """The two hand-made plans, ingested in the test's transaction (the bundled plans may be
    in the database beside them)."""
    yield ingest_sample()


# --- plans stored directly -------------------------------------------------------------


@dataclass
class PlanFixture:
    plan: StoredPlan
    version: PlanVersion
    nodes: dict[str, StoredNode] = field(default_factory=dict)


def build_plan(
    title: str,
    slug: str,
    nodes: list[tuple[str, str, str, str]],
    *,
    zone: OrgUnit | None = None,
    places: dict[str, list[OrgUnit]] | None = None,
    projects: dict[str, list[str]] | None = None,
    number: int = 1,
    plan: StoredPlan | None = None,
    index: bool = True,
    cities: list[str] | None = None,
) -> PlanFixture:
    """The one builder of stored plans (no parse, no ingest): a published plan (or a new
    version `number` of `plan`) whose nodes are (key, kind, title, text), each a child of the
    last node whose key prefixes it; `places` and `projects` by node key; indexed for search
    unless `index` is false. The 川南 slice plan (tests/factories/implementation.py), the
    dashboards' plans (tests/dashboards/conftest.py) and the search corpus
    (tests/factories/search.py) are built with it; the sample plans above go
    through the real ingest instead."""
    body = ("\n".join(t for _, _, _, t in nodes) + title + str(number)).encode()
    doc = SourceDocument.objects.create(
        sha256=hashlib.sha256(body).hexdigest(), name=f"{slug}.txt", format="text", content=body
    )
    if plan is None:
        plan = StoredPlan.objects.create(
            title=title, slug=slug, org_unit=zone, status=PlanStatus.PUBLISHED
        )
    version = PlanVersion.objects.create(
        plan=plan,
        document=doc,
        number=number,
        title=title,
        line=1,
        cities=cities if cities is not None else ["宜宾市"],
    )
    made: dict[str, StoredNode] = {}
    for seq, (key, kind, node_title, text) in enumerate(nodes):
        parent = next((made[k] for k in reversed(made) if key.startswith(k + ".")), None)
        made[key] = StoredNode.objects.create(
            version=version,
            parent=parent,
            seq=seq,
            key=key,
            kind=kind,
            title=node_title,
            text=text,
            level=key.count(".") + 1,
            line=10 + seq,
            end_line=10 + seq,
            page=3 + seq,
            projects=(projects or {}).get(key, []),
        )
    for key, units in (places or {}).items():
        for unit in units:
            NodePlace.objects.create(node=made[key], org_unit=unit, count=1)
    # As the ingest service does: index inside the transaction, then mark current.
    if index:
        index_plan_version(version=version)
    plan.current_version = version
    plan.save(update_fields=["current_version"])
    return PlanFixture(plan, version, made)


def db_snapshot() -> dict[str, int]:
    """Row counts of every table the ingest writes, to prove a failed ingest changed nothing."""
    from planwatch.audit.models import AuditEvent
    from planwatch.plans.models import PlaceMention, Quantity

    models: list[Any] = [
        SourceDocument,
        StoredPlan,
        PlanVersion,
        StoredNode,
        Quantity,
        PlaceMention,
        NodePlace,
        AuditEvent,
        OrgUnit,
    ]
    return {m.__name__: m.objects.count() for m in models}
