"""Input and output shapes of the JSON API (one per endpoint), and the one error shape."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema


class CellProblem(Schema):
    """One problem of a refused import (an item of `error.problems` in its 422)."""

    row: int = Field(description="Spreadsheet row (1-based); 0 for the file as a whole.")
    column: str = Field(description="Column letter, empty when the whole row is meant.")
    header: str = Field(description="The column's header, e.g. 完成时限.")
    message: str
    text: str = Field(description="The problem as the web page words it, place included.")


class ErrorBody(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What went wrong, for a person.")
    # Absent rather than null when there is nothing to list: SkipJsonSchema keeps `null` out
    # of the document, so clients see one type.
    problems: list[CellProblem] | SkipJsonSchema[None] = Field(
        None,
        description="Every bad row and cell of a refused import (422 of "
        "`POST /lists/{list_id}/import`); absent on other errors.",
    )


class ErrorOut(Schema):
    """Every 4xx and 5xx response of the API has this shape."""

    error: ErrorBody


class PageMeta(Schema):
    count: int = Field(description="Items in all pages.")
    limit: int
    offset: int


class UnitRef(Schema):
    code: str
    name: str


class PlanRef(Schema):
    id: int
    slug: str
    title: str


class VersionOut(Schema):
    id: int
    number: int
    title: str
    document_sha256: str
    document_name: str
    created_at: datetime


class PlanOut(Schema):
    id: int
    slug: str
    title: str
    zone: UnitRef | None
    current_version: VersionOut | None


class PlanPage(PageMeta):
    items: list[PlanOut]


class PlanDetailOut(PlanOut):
    cities: list[str] = Field(description="Prefectures the plan covers.")
    node_counts: dict[str, int] = Field(description="Nodes of the current version by kind.")
    target_count: int
    baseline_count: int
    action_target_count: int


class NodeOut(Schema):
    id: int
    parent_id: int | None
    seq: int
    key: str = Field(description="Position key that survives re-ingest, e.g. `c3.s2.b1.i2`.")
    kind: str
    number: int | None
    label: str
    title: str
    text: str
    level: int
    line: int
    end_line: int
    page: int | None = Field(description="Printed page of the source document (原文第 N 页).")
    projects: list[str]


class NodePage(PageMeta):
    items: list[NodeOut]


class NodeBrief(Schema):
    id: int
    kind: str
    label: str
    title: str


class PlaceCount(Schema):
    code: str
    adcode: str | None
    name: str
    count: int


class NodeDetailOut(NodeOut):
    plan: PlanRef
    version_id: int
    is_current: bool = Field(description="Whether the node is in its plan's current version.")
    children: list[NodeBrief]
    places: list[PlaceCount]


class QuantityOut(Schema):
    id: int
    node_id: int | None
    role: str = Field(
        description="`target` (目标), `baseline` (基数) or `action_target` (任务目标: stated "
        "in an action paragraph, a 专栏 item or a report's 重点工作)."
    )
    text: str
    indicator: str
    value: float | None
    unit: str
    year: int | None
    comparator: str
    kind: str
    attribute: str = Field(description="预期性/约束性 when stated.")
    base_value: float | None
    base_year: int | None
    origin: str = Field(
        description="Where it was found: goal-section, indicator-table, target-list, action "
        "or baseline; empty for versions stored before it was recorded."
    )
    value_text: str = Field(description="The value and unit as printed, e.g. `1.1万亿元`.")
    normalised_value: float | None = Field(
        description="The value in its base unit with the magnitude folded in (1.1万亿元 → 1.1e12)."
    )
    normalised_unit: str
    comparator_text: str = Field(description="The comparator's own words, e.g. `控制在…以内`.")
    year_stated: bool | None = Field(
        description="True when the clause states the year; false when it is the horizon."
    )
    line: int
    page: int | None


class QuantityPage(PageMeta):
    items: list[QuantityOut]


class PlaceOut(Schema):
    code: str = Field(description="The adcode for divisions, `zone:…` for zones.")
    adcode: str | None
    name: str
    short_name: str
    level: str
    parent_code: str | None
    mentions: int = Field(description="Nodes of the current plan versions naming the place.")


class PlacePage(PageMeta):
    items: list[PlaceOut]


class MentionOut(Schema):
    node_id: int
    plan: PlanRef
    kind: str
    title: str
    page: int | None
    named: UnitRef = Field(description="The unit named (the place itself or one below it).")
    count: int


class PlaceDetailOut(PlaceOut):
    mention_count: int
    limit: int
    offset: int
    items: list[MentionOut]


class OrgUnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    adcode: str | None
    parent_code: str | None


class OrgUnitPage(PageMeta):
    items: list[OrgUnitOut]


class MemberOut(Schema):
    username: str
    full_name: str
    role: str
    org_unit: UnitRef


class MemberPage(PageMeta):
    items: list[MemberOut]


class MeOut(Schema):
    username: str
    full_name: str
    is_superuser: bool
    memberships: list[MemberOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenList(Schema):
    items: list[TokenOut]


class SearchHitOut(Schema):
    node_id: int
    plan: PlanRef
    kind: str
    kind_label: str
    title: str
    snippet: str = Field(description="HTML: escaped plan text, matches wrapped in <mark>.")
    page: int | None
    url: str


class SearchPage(PageMeta):
    query: str
    items: list[SearchHitOut]
