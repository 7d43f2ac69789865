"""Output forms of a parse: the `planwatch.parse/1` JSON, the cleaned plan as Markdown, an
indented outline with pages for a person to check, and the table-of-contents check report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from planwatch.parsing.model import SCHEMA, Node, ParseResult, Plan, Quantity

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _flat(obj: Any) -> dict[str, Any]:
    """`dataclasses.asdict` for the contract's flat records (Quantity, Place, Source,
    Warning: scalar fields only) without asdict's recursive deep copy, several times slower."""
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


def node_to_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {  # a literal: a comprehension of getattr calls is slower
        "kind": node.kind,
        "number": node.number,
        "label": node.label,
        "title": node.title,
        "text": node.text,
        "level": node.level,
        "line": node.line,
        "end_line": node.end_line,
        "page": node.page,
    }
    if node.projects is not None:
        out["projects"] = node.projects
    if node.rows is not None:
        out["rows"] = node.rows
    out["children"] = [node_to_dict(c) for c in node.children]
    return out


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "title": plan.title,
        "line": plan.line,
        "page": plan.page,
        "cities": plan.cities,
        "nodes": [node_to_dict(n) for n in plan.nodes],
        "targets": [_flat(q) for q in plan.targets],
        "baselines": [_flat(q) for q in plan.baselines],
        "places": [_flat(p) for p in plan.places],
        "action_targets": [_flat(q) for q in plan.action_targets],
    }


def to_dict(result: ParseResult) -> dict[str, Any]:
    """The whole parse as the contract's JSON object."""
    return {
        "schema": SCHEMA,
        "source": _flat(result.source),
        "warnings": [_flat(w) for w in result.warnings],
        "plans": [plan_to_dict(p) for p in result.plans],
    }


def to_json(result: ParseResult, *, indent: int | None = 2) -> str:
    # The dictionaries are built fresh here and hold no cycle: the encoder need not check.
    return json.dumps(to_dict(result), ensure_ascii=False, indent=indent, check_circular=False)


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node of a tree, depth first, in document order."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def _page(page: int | None) -> str:
    return f" p.{page}" if page is not None else ""


def _heading_text(node: Node) -> str:
    return " ".join(part for part in (node.label, node.title) if part)


def to_outline(result: ParseResult) -> str:
    """An indented outline: one line per structural node with its input line and page."""
    lines: list[str] = []
    shown = {"part", "chapter", "section", "heading", "box", "box_item", "figure", "table"}
    for plan in result.plans:
        lines.append(f"{plan.title}  [line {plan.line}{_page(plan.page)}]")
        for node in walk(plan.nodes):
            if node.kind not in shown:
                continue
            indent = "  " * node.level
            lines.append(
                f"{indent}{_heading_text(node)}  [{node.kind}, line {node.line}{_page(node.page)}]"
            )
        lines.append("")
    return "\n".join(lines)


def _markdown_node(node: Node, out: list[str]) -> None:
    if node.kind in {"part", "chapter", "section", "heading"}:
        out.append(f"{'#' * min(node.level + 1, 6)} {_heading_text(node)}")
        if node.text:
            out.append(node.text)
    elif node.kind == "box":
        out.append(f"> **{_heading_text(node)}**")
    elif node.kind == "box_item":
        out.append(f"> **{_heading_text(node)}** {node.text}".rstrip())
    elif node.kind == "table" and node.rows:
        out.extend(_markdown_table(node.rows))
    elif node.kind == "figure":
        out.append(f"*{_heading_text(node)}*")
    elif node.kind == "provision":
        rest = node.text
        lead = node.title + "。"
        rest = rest[len(lead) :].lstrip() if rest.startswith(lead) else rest
        out.append(f"**{lead}** {rest}".rstrip())
    else:
        out.append(f"{node.label + ' ' if node.label else ''}{node.text}")
    out.append("")
    for child in node.children:
        _markdown_node(child, out)


def _markdown_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    cells = [
        [c.replace("|", "\\|").replace("\n", " ") for c in r] + [""] * (width - len(r))
        for r in rows
    ]
    head, body = cells[0], cells[1:]
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * width,
        *("| " + " | ".join(r) + " |" for r in body),
    ]


def to_markdown(result: ParseResult) -> str:
    """The cleaned plans as readable Markdown (headings, bold leads, boxes as quotes)."""
    out: list[str] = []
    for plan in result.plans:
        out.extend([f"# {plan.title}", ""])
        for node in plan.nodes:
            _markdown_node(node, out)
    return "\n".join(out).rstrip() + "\n"


def plan_counts(plan: Plan) -> Counter[str]:
    counts: Counter[str] = Counter(n.kind for n in walk(plan.nodes))
    counts["targets"] = len(plan.targets)
    counts["targets_numeric"] = sum(1 for q in plan.targets if q.value is not None)
    counts["baselines"] = len(plan.baselines)
    counts["action_targets"] = len(plan.action_targets)
    counts["places"] = len(plan.places)
    return counts


_COUNT_ORDER = (
    "part",
    "chapter",
    "section",
    "heading",
    "item",
    "provision",
    "paragraph",
    "box",
    "box_item",
    "table",
    "figure",
    "targets",
    "targets_numeric",
    "action_targets",
    "baselines",
    "places",
)


def to_check(result: ParseResult) -> str:
    """The table-of-contents cross-check and the counts, for a person to read."""
    src = result.source
    lines = [
        f"{src.name}: format {src.format}, encoding {src.encoding}, {src.chars} chars, "
        f"{src.pages if src.pages is not None else 'no'} printed pages, "
        f"{len(result.plans)} plan(s)",
        "",
    ]
    total: Counter[str] = Counter()
    for plan in result.plans:
        counts = plan_counts(plan)
        total.update(counts)
        cities = "、".join(plan.cities) or "—"
        lines.append(f"{plan.title} (line {plan.line}{_page(plan.page)}; covers {cities})")
        lines.append("  " + ", ".join(f"{k} {counts[k]}" for k in _COUNT_ORDER if counts[k]))
    lines.append("")
    lines.append("total: " + ", ".join(f"{k} {total[k]}" for k in _COUNT_ORDER if total[k]))
    toc = [w for w in result.warnings if w.code.startswith("toc")]
    lines.append("")
    lines.append(f"table-of-contents check: {len(toc)} disagreement(s)")
    lines.extend(f"  line {w.line}: {w.message}" for w in toc)
    other = [w for w in result.warnings if not w.code.startswith("toc")]
    if other:
        lines.append("")
        lines.append(f"other warnings: {len(other)}")
        lines.extend(f"  [{w.code}] line {w.line}: {w.message}" for w in other)
    return "\n".join(lines) + "\n"


def quantity_label(q: Quantity) -> str:
    value = "" if q.value is None else f"{q.comparator or ''}{q.value:g}{q.unit or ''}"
    return f"{q.indicator} {value} ({q.year})".strip()
