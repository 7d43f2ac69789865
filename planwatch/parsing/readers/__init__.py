"""Readers turn the decoded input of one format into a stream of `Block`s.

Every reader has the signature `read(text_or_bytes, name) -> ReaderOutput`. A reader undoes
its format's layout (line wraps, page footers, markup) but does not build the tree: that is
`planwatch.parsing.structure`'s job, the same for every format."""

from __future__ import annotations

from dataclasses import dataclass, field

from planwatch.parsing.model import Block, Warning


@dataclass
class ReaderOutput:
    blocks: list[Block]
    # Printed page count when the source has printed pages, else None.
    pages: int | None = None
    warnings: list[Warning] = field(default_factory=list)
