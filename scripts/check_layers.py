"""An independent check of the layers (decision record 0014), run by `make lint` beside
`lint-imports`: every `import` and `from … import` in planwatch/ — at module top, inside
functions, under `if TYPE_CHECKING:`, relative ones resolved — mapped to its top-level
package, then

- no upward import: an app imports only from its own layer or below (the layer list is read
  from the import-linter contract in pyproject.toml, so it is written once);
- no import between two apps of one layer written `a | b` (independent siblings);
- no two apps that import each other (a cycle of two), whatever their layers;
- every app (package directory) of planwatch/ stands in a layer.

Migrations are left out (they name other apps' migrations by string, not by import).

    python scripts/check_layers.py            # exit 1 with the offending file:line on failure
    python scripts/check_layers.py --graph    # also print the app-level import graph
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "planwatch"
# Plumbing outside the apps: the entry point, settings, URL root, WSGI, formats (the same
# list as the contract's exhaustive_ignores). They may import any app; no app imports them.
OUTSIDE = {"cli", "settings", "urls", "wsgi", "formats"}


@dataclass(frozen=True)
class Use:
    source: str  # app importing
    target: str  # app imported
    where: str  # file:line
    in_function: bool


def read_layers(pyproject: Path) -> list[list[str]]:
    """The layers of the `layers` contract, lowest first, each a list of app names
    (parentheses of reserved layers removed)."""
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c.get("id") == "layers")
    layers = []
    for raw in reversed(contract["layers"]):
        layers.append([name.strip().strip("()") for name in raw.split("|")])
    return layers


def _resolve(module: Path, node: ast.ImportFrom) -> str:
    """The absolute module a `from … import` names (relative ones resolved from `module`)."""
    if not node.level:
        return node.module or ""
    parts = list(module.with_suffix("").parts)
    if module.name == "__init__.py":
        parts = parts[:-1]
    base = parts[: len(parts) - node.level + (1 if module.name == "__init__.py" else 0)]
    return ".".join([*base, node.module] if node.module else base)


def imports_in(package_dir: Path) -> list[Use]:
    uses = []
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(package_dir.parent)
        if "migrations" in rel.parts:
            continue
        source = rel.parts[1].removesuffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        stack: list[tuple[ast.AST, bool]] = [(tree, False)]
        while stack:
            node, in_function = stack.pop()
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = _resolve(rel, node)
                # `from planwatch import plans` names the app in the imported names
                if module == PACKAGE:
                    names = [f"{PACKAGE}.{a.name}" for a in node.names]
                else:
                    names = [module]
            for name in names:
                parts = name.split(".")
                if parts[0] == PACKAGE and len(parts) > 1 and parts[1] != source:
                    where = f"{rel}:{getattr(node, 'lineno', 0)}"
                    uses.append(Use(source, parts[1], where, in_function))
            inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    return uses


def apps_in(package_dir: Path) -> set[str]:
    return {p.name for p in package_dir.iterdir() if (p / "__init__.py").exists()}


def problems(package_dir: Path, layers: list[list[str]]) -> list[str]:
    level = {app: i for i, layer in enumerate(layers) for app in layer}
    out = []
    for app in sorted(apps_in(package_dir) - OUTSIDE - set(level)):
        out.append(f"{PACKAGE}.{app} stands in no layer: add it to the layers contract")
    uses = imports_in(package_dir)
    for u in uses:
        if u.source in OUTSIDE:
            continue
        if u.target in OUTSIDE:
            out.append(f"{u.where}: {u.source} imports {u.target} (plumbing outside the apps)")
            continue
        src, dst = level.get(u.source), level.get(u.target)
        if src is None or dst is None:
            continue  # reported above as standing in no layer
        where = " (inside a function)" if u.in_function else ""
        if dst > src:
            out.append(f"{u.where}: {u.source} imports {u.target}, a higher layer{where}")
        elif dst == src and len(layers[src]) > 1:
            out.append(f"{u.where}: {u.source} imports {u.target}, an independent sibling{where}")
    pairs = {(u.source, u.target) for u in uses}
    for a, b in sorted(p for p in pairs if p[0] < p[1] and (p[1], p[0]) in pairs):
        out.append(f"{a} and {b} import each other")
    return out


def graph(package_dir: Path) -> str:
    """The app-level import graph: `a -> b  n (m inside functions)` per edge."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for u in imports_in(package_dir):
        counts[(u.source, u.target)][0] += 1
        counts[(u.source, u.target)][1] += u.in_function
    lines = [
        f"{a:12} -> {b:12} {n:3}  ({f} inside functions)"
        for (a, b), (n, f) in sorted(counts.items())
    ]
    mutual = sorted({tuple(sorted(p)) for p in counts if (p[1], p[0]) in counts})
    lines.append(f"mutual pairs: {len(mutual)} {mutual}")
    lines.append(f"imports inside functions: {sum(f for _n, f in counts.values())}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="store_true", help="print the app-level import graph")
    parser.add_argument("--package", type=Path, default=ROOT / PACKAGE)
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    if args.graph:
        print(graph(args.package))
    found = problems(args.package, read_layers(args.pyproject))
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"check_layers: {len(found)} problem(s)", file=sys.stderr)
        return 1
    print("check_layers: every import goes down the layers; no two apps import each other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
