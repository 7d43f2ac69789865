"""Shared fixtures of the parser tests: the bundled five-plan file, parsed once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planwatch.parsing import ParseResult, parse_file
from planwatch.parsing.model import Node

SEED = (
    Path(__file__).resolve().parents[2] / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"
)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    """The bundled file's lines; index 0 is line 1."""
    return SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def seed() -> ParseResult:
    return parse_file(SEED)


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node of a tree, depth first, in document order."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def node_at(nodes: list[Node], line: int, kinds: tuple[str, ...]) -> Node:
    """The innermost node of one of `kinds` whose line range holds input `line`."""
    found = [n for n in walk(nodes) if n.kind in kinds and n.line <= line <= n.end_line]
    assert found, f"no {kinds} node holds line {line}"
    return found[-1]
