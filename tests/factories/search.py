"""A small plan, written straight into the database, for the search and API tests: the
texts are real sentences of the bundled plans, so that segmentation meets what it will
meet in production."""

from __future__ import annotations

from typing import Any

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.choices import NodeKind, QuantityRole
from planwatch.plans.models import Quantity
from tests.factories.plans import PlanFixture, build_plan

CHUANNAN_BOX_ITEM = (
    "铁路：建成成自宜高铁、川南城际铁路内自泸段、隆黄铁路叙永至毕节段，加快建设渝昆高铁川渝段。"
)
CHUANNAN_PROVISION = (
    "推动川南地区一体化发展。支持宜宾、泸州建设区域中心城市，主动融入成渝地区双城经济圈建设。"
)
CHENGDU_PROVISION = "推进成德眉资同城化发展，高水平建设四川天府新区，打造成都都市圈。"
# 天府 and 新区 apart, 成渝 and 经济圈 apart: must not be found by the compound words.
DECOY_PROVISION = "天府之国新区建设提速，成渝两地经济圈层联动，成都东部新区开工。"
MARKUP_PROVISION = "文本里有 <script>alert(1)</script> 与 “引号” & 符号，也是水利设施。"


def unit(name: str) -> OrgUnit:
    """An organisation unit by name (codes of zones differ between the reference data and
    the personas' fallback units; names do not)."""
    return OrgUnit.objects.filter(name=name).order_by("id").first() or _missing(name)


def _missing(name: str) -> OrgUnit:
    raise LookupError(f"no organisation unit named {name}")


def make_corpus(units: dict[str, OrgUnit] | None = None) -> dict[str, PlanFixture]:
    """Two plans: 川南 (with the box naming 成自宜高铁) and 成都平原. Needs the units of the
    `persona_units` fixture."""
    yibin, luzhou, chengdu_city = unit("宜宾市"), unit("泸州市"), unit("成都市")
    chuannan = build_plan(
        "川南经济区“十四五”一体化发展规划",
        "chuannan",
        [
            ("c1", NodeKind.CHAPTER, "第一章 发展基础", ""),
            ("c1.p1", NodeKind.PROVISION, "推动一体化", CHUANNAN_PROVISION),
            ("c1.b1", NodeKind.BOX, "专栏1 重大交通项目", ""),
            ("c1.b1.i1", NodeKind.BOX_ITEM, "", CHUANNAN_BOX_ITEM),
            ("c1.p2", NodeKind.PROVISION, "", MARKUP_PROVISION),
        ],
        zone=unit("川南经济区"),
        places={"c1.p1": [yibin, luzhou], "c1.b1.i1": [yibin]},
        projects={"c1.b1.i1": ["成自宜高铁", "川南城际铁路内自泸段"]},
    )
    Quantity.objects.create(
        version=chuannan.version,
        node=chuannan.nodes["c1.p1"],
        role=QuantityRole.TARGET,
        text="地区生产总值年均增长7%左右",
        indicator="地区生产总值",
        value=7.0,
        unit="%",
        year=2025,
        kind="growth",
        line=11,
    )
    chengdu = build_plan(
        "成都平原经济区“十四五”一体化发展规划",
        "chengdu-plain",
        [
            ("c1", NodeKind.CHAPTER, "第一章 同城化", ""),
            ("c1.p1", NodeKind.PROVISION, "成德眉资同城化", CHENGDU_PROVISION),
            ("c1.p2", NodeKind.PROVISION, "", DECOY_PROVISION),
        ],
        zone=unit("成都平原经济区"),
        places={"c1.p1": [chengdu_city]},
    )
    return {"chuannan": chuannan, "chengdu": chengdu}


def titles(results: Any) -> list[str]:
    return [h.node.key for h in results.hits]
