"""The parse pipeline: bytes → decoded text → reader blocks → plans (tree, TOC check,
targets, baselines, places).

    result = parse_bytes(data, name="plan.txt")        # ParseResult, or raises ParseError

Stages: `decode` (encoding and format detection), the format's reader (`READER_MODULES`),
`splitting` (TOCs out, one block list per plan), `structure.TreeBuilder` (the node tree),
`toc.check_toc` (warnings), then the extractors of targets/baselines and places when their
modules are installed. Nothing but `ParseError` escapes for bad input."""

from __future__ import annotations

import gc
import hashlib
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any, cast

from planwatch.parsing.decode import check_size_on_disk, max_bytes_default
from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block, ParseResult, Plan, Source, SourceFormat, Warning
from planwatch.parsing.readers import ReaderOutput
from planwatch.parsing.splitting import PlanBlocks, TocGroup, split_plans, split_toc
from planwatch.parsing.structure import TreeBuilder, cleaned
from planwatch.parsing.toc import check_toc

Reader = Callable[[str | bytes, str], ReaderOutput]
READER_MODULES: dict[str, str] = {
    "pdf-text": "planwatch.parsing.readers.pdftext",
    "text": "planwatch.parsing.readers.text",
    "markdown": "planwatch.parsing.readers.markdown",
    "html": "planwatch.parsing.readers.html",
    "docx": "planwatch.parsing.readers.docx",
    "pdf": "planwatch.parsing.readers.pdf",
    "csv": "planwatch.parsing.readers.csv",
}


def parse_file(path: str | Path, *, format: str | None = None) -> ParseResult:
    """Parse the file at `path` (its name is used in messages and in `Source`); `format`
    forces a format instead of detecting it."""
    p = Path(path)
    try:
        # Refuse an oversized file before reading it into memory.
        check_size_on_disk(p.stat().st_size, p.name, max_bytes_default())
        data = p.read_bytes()
    except IsADirectoryError:
        raise ParseError(p.name, "is a directory, not a file") from None
    except OSError as exc:
        raise ParseError(p.name, f"cannot read file ({exc.strerror or exc})") from None
    return parse_bytes(data, name=p.name, format=format)


def parse_bytes(data: bytes, *, name: str, format: str | None = None) -> ParseResult:
    """Parse one input document; raises `ParseError` for anything that is not a plan."""
    try:
        with _paused_gc():
            return _parse(data, name, format)
    except ParseError:
        raise
    except Exception as exc:
        # A library tripping over malformed input (zlib, zipfile, lxml, pdfminer …) must still
        # give the caller one clear line: the contract is that only ParseError escapes.
        raise ParseError(name, f"unreadable input ({type(exc).__name__}: {exc})") from None


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing: the parse allocates millions of small,
    acyclic objects (lines, blocks, nodes), and the collector's repeated full scans over that
    growing heap made the cost grow faster than the input (measured: 2.4 → 6 MB/s on 7 MB).
    Reference counting still frees everything; the previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(data: bytes, name: str, format: str | None) -> ParseResult:
    """Decode, read, build: the body of `parse_bytes` without its error wrapping."""
    content, fmt, encoding = decode_input(data, name, format)
    output = reader_for(fmt, name)(content, name)
    chars = len(content) if isinstance(content, str) else _block_chars(output.blocks)
    source = Source(name, hashlib.sha256(data).hexdigest(), fmt, encoding, chars, output.pages)
    plans, warnings = build_plans(output.blocks, name)
    return ParseResult(source, plans, output.warnings + warnings)


def decode_input(
    data: bytes, name: str, format: str | None
) -> tuple[str | bytes, SourceFormat, str | None]:
    """`decode.decode` (encoding and format detection by the format-readers module)."""
    from planwatch.parsing.decode import decode

    return decode(data, name, format)


def reader_for(fmt: str, name: str) -> Reader:
    """The `read` function of the reader module for `fmt`."""
    module_name = READER_MODULES.get(fmt)
    if module_name is None:
        raise ParseError(name, f"no reader for format {fmt!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ParseError(name, f"the {fmt} reader is not available") from None
    return cast(Reader, module.read)


def build_plans(blocks: list[Block], name: str) -> tuple[list[Plan], list[Warning]]:
    """Plans (trees, TOC-checked, extractors applied) from reader blocks."""
    body, tocs = split_toc(blocks)
    parts = split_plans(body)
    if not parts:
        raise ParseError(name, "no recognisable plan structure (no title, chapters or headings)")
    strict = any(block.hint in ("box_item", "box_text") for block in blocks)
    plans = [_plan(part, name, strict) for part in parts]
    warnings = _front_matter(body, parts[0])
    for plan, group in zip(plans, _match_tocs(plans, tocs), strict=True):
        if group is not None:
            warnings.extend(check_toc(plan, group.entries))
    for plan in plans:
        warnings.extend(_extract(plan))
    return plans, warnings


def _front_matter(body: list[Block], first: PlanBlocks) -> list[Warning]:
    """A note on the text before the first plan (a covering notice, an encyclopedia
    introduction): it is left out of the tree, so a reviewer should know it was there."""
    start = first.title if first.title is not None else (first.body[0] if first.body else None)
    skipped = [block for block in body if start is not None and block.line < start.line]
    if not skipped:
        return []
    excerpt = cleaned(skipped[0]).text[:30]
    message = (
        f"lines {skipped[0].line}–{skipped[-1].end_line} come before the first plan and are "
        f"not part of it (starts “{excerpt}…”)"
    )
    return [Warning("front-matter", message, skipped[0].line)]


def _plan(part: PlanBlocks, name: str, strict: bool) -> Plan:
    """One plan from its blocks: the tree, and its title, line and page."""
    nodes = TreeBuilder(strict_boxes=strict).build(part.body)
    if part.title is not None:
        title_block = cleaned(part.title)
        title, line, page = title_block.text, title_block.line, title_block.page
    else:
        first = part.body[0] if part.body else None
        title = PurePath(name).stem
        line, page = (first.line, first.page) if first is not None else (1, None)
    return Plan(title=title, line=line, page=page, cities=[], nodes=nodes)


def _match_tocs(plans: list[Plan], tocs: list[TocGroup]) -> list[TocGroup | None]:
    """The TOC of each plan: the one printed under the same title, else the next unused one
    in document order that stands before the plan."""
    matched: list[TocGroup | None] = []
    unused = [group for group in tocs if group.entries]
    for plan in plans:
        same = [group for group in unused if group.title == plan.title]
        before = [group for group in unused if group.line < plan.line]
        candidates = same or before
        group = candidates[0] if candidates else None
        if group is not None:
            unused.remove(group)
        matched.append(group)
    return matched


def _extract(plan: Plan) -> list[Warning]:
    """Targets, baselines, places and covered cities, by the extractor modules if present.
    An extractor that fails costs its own fields and a warning, never the parsed tree."""
    warnings: list[Warning] = []
    for module, function in _EXTRACTORS:
        extractor = _optional(module, function)
        if extractor is None:
            continue
        try:
            value = extractor(plan)
        except Exception as exc:  # any extractor bug must not lose the parse
            message = f"{function} failed on “{plan.title}”: {type(exc).__name__}: {exc}"
            warnings.append(Warning("extractor-error", message, plan.line))
            continue
        if function == "extract_targets":
            plan.targets, plan.baselines = value
        elif function == "extract_action_targets":
            plan.action_targets = value
        elif function == "find_places":
            plan.places = value
        else:
            plan.cities = value
    return warnings


_EXTRACTORS = (
    ("planwatch.parsing.targets", "extract_targets"),
    ("planwatch.parsing.targets", "extract_action_targets"),
    ("planwatch.parsing.places", "find_places"),
    ("planwatch.parsing.places", "covered_cities"),
)


def _optional(module_name: str, function: str) -> Callable[[Plan], Any] | None:
    """A function of an optional extractor module, or None while it is not written yet."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    found = getattr(module, function, None)
    return cast(Callable[[Plan], Any], found) if callable(found) else None


def _block_chars(blocks: list[Block]) -> int:
    return sum(len(block.text) for block in blocks)
