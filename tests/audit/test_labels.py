"""Every audit action the code writes has a Chinese name on the audit page.

The actions are collected from the source, not listed by hand, so that a new one cannot be
added unnamed: every call of `audit_record`, `AuditEntry` and of the helpers that forward
their `action` argument to them (`_audit(actor, "case.open", case)`) is read with `ast`, and
its action resolved to codes — a literal, either branch of `a if c else b`, an f-string
`progress_report.{target}` expanded over the targets of the workflow it belongs to, or a
name looked up in its module's ALLOWED_TRANSITIONS. An action the scan cannot resolve fails
the test too: teach the scan (FAMILIES below) rather than let it pass unchecked."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import planwatch
from planwatch.audit.labels import ACTION_LABELS, action_label
from planwatch.reports.services import ALLOWED_TRANSITIONS as REPORT_TRANSITIONS
from planwatch.supervision.services import ALLOWED_TRANSITIONS as CASE_TRANSITIONS

ROOT = Path(planwatch.__file__).parent
WRITERS = {"audit_record", "AuditEntry"}  # `action=` keyword, or first positional argument
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _targets(transitions: dict[str, dict[str, str]]) -> set[str]:
    return {str(target) for moves in transitions.values() for target in moves}


# f-string actions: their constant prefix → the steps of the workflow they name.
FAMILIES: dict[str, set[str]] = {
    "progress_report.": _targets(REPORT_TRANSITIONS),
    "case.": _targets(CASE_TRANSITIONS),
    "monthly_report.": _targets(REPORT_TRANSITIONS),  # projects: the same review path
}


@dataclass
class Scan:
    codes: dict[str, set[str]] = field(default_factory=dict)  # code → where written
    unresolved: list[str] = field(default_factory=list)


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield str(path.relative_to(ROOT.parent)), ast.parse(path.read_text("utf-8"), str(path))


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Positional parameters (without self), then keyword-only ones."""
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    names = names[1:] if names[:1] in (["self"], ["cls"]) else names
    return names + [a.arg for a in func.args.kwonlyargs]


# How a helper takes the action it forwards: (position if positional, parameter name).
Spec = tuple[int | None, str]


def _helper_spec(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Spec | None:
    params = _params(func)
    for call in ast.walk(func):
        if isinstance(call, ast.Call) and _callee(call) in WRITERS:
            arg = _action_arg(call, (0, "action"))
            if isinstance(arg, ast.Name) and arg.id in params:
                kwonly = {a.arg for a in func.args.kwonlyargs}
                return (None if arg.id in kwonly else params.index(arg.id)), arg.id
    return None


def _action_arg(call: ast.Call, spec: Spec) -> ast.expr | None:
    position, keyword = spec
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is None or len(call.args) <= position:
        return None
    return call.args[position]


def _helpers(trees: list[tuple[str, ast.Module]]) -> dict[str, dict[str, Spec]]:
    """Functions (other than the writers) that pass a parameter on as the action, by module
    then name; under "" those whose name is defined once, for calls from other modules."""
    found: dict[str, dict[str, Spec]] = {}
    specs: dict[str, set[Spec]] = {}
    for where, tree in trees:
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                spec = _helper_spec(func)
                if spec is not None and func.name not in WRITERS:
                    found.setdefault(where, {})[func.name] = spec
                    specs.setdefault(func.name, set()).add(spec)
    found[""] = {name: next(iter(s)) for name, s in specs.items() if len(s) == 1}
    return found


def _transition_codes(tree: ast.Module) -> set[str]:
    """The action codes a module's ALLOWED_TRANSITIONS map gives (tasks: the list's)."""
    codes: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(getattr(t, "id", "") == "ALLOWED_TRANSITIONS" for t in targets):
                codes |= {
                    c.value
                    for c in ast.walk(node.value)
                    if isinstance(c, ast.Constant) and CODE.match(str(c.value))
                }
    return codes


def _resolve(expr: ast.expr, forwarded: set[str], transitions: set[str]) -> set[str] | None:
    """The codes `expr` can be; None if the scan cannot tell. A forwarded parameter gives
    nothing: its callers are scanned instead."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body, orelse = (_resolve(e, forwarded, transitions) for e in (expr.body, expr.orelse))
        return None if body is None or orelse is None else body | orelse
    if isinstance(expr, ast.JoinedStr) and len(expr.values) == 2:
        prefix, rest = expr.values
        if isinstance(prefix, ast.Constant) and isinstance(rest, ast.FormattedValue):
            family = FAMILIES.get(str(prefix.value))
            return None if family is None else {f"{prefix.value}{step}" for step in family}
    if isinstance(expr, ast.Name):
        return set() if expr.id in forwarded else (transitions or None)
    return None


class _Calls(ast.NodeVisitor):
    """Resolves the action of each writing call of one module, knowing the parameters of
    the function it is in (a helper's own `action` parameter is forwarded, not written)."""

    def __init__(self, where: str, tree: ast.Module, helpers: dict[str, Spec], out: Scan):
        self.where, self.helpers, self.out = where, helpers, out
        self.transitions = _transition_codes(tree)
        self.forwarded: list[set[str]] = [set()]

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.forwarded.append(set(_params(node)))
        self.generic_visit(node)
        self.forwarded.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        name = _callee(node)
        spec: Spec | None = (0, "action") if name in WRITERS else self.helpers.get(name)
        if spec is not None:
            arg = _action_arg(node, spec)
            codes = None if arg is None else _resolve(arg, self.forwarded[-1], self.transitions)
            if codes is None:
                self.out.unresolved.append(f"{self.where}:{node.lineno}")
            for code in codes or ():
                self.out.codes.setdefault(code, set()).add(self.where)
        self.generic_visit(node)


def scan() -> Scan:
    trees = list(_sources())
    helpers = _helpers(trees)
    result = Scan()
    for where, tree in trees:
        _Calls(where, tree, helpers[""] | helpers.get(where, {}), result).visit(tree)
    return result


def test_every_action_written_has_a_label() -> None:
    found = scan()
    assert found.unresolved == [], "actions the scan cannot resolve (extend FAMILIES)"
    assert all(CODE.match(code) for code in found.codes), sorted(found.codes)
    missing = {code: sorted(where) for code, where in found.codes.items()}
    missing = {code: where for code, where in missing.items() if code not in ACTION_LABELS}
    assert missing == {}, "add these to planwatch/audit/labels.py ACTION_LABELS"


def test_scan_finds_actions_of_every_kind() -> None:
    """The scan sees literals, conditional literals, helper calls, f-string families and the
    list's ALLOWED_TRANSITIONS — so an empty result cannot pass the test above by accident."""
    codes = set(scan().codes)
    assert {"plan.ingest", "supervise.run", "demo.load", "demo.clear"} <= codes  # literals
    assert {"user.activate", "user.deactivate"} <= codes  # a if c else b
    assert {"case.open", "progress_report.correct", "user.admin_change"} <= codes  # helpers
    assert {"progress_report.returned", "case.closed"} <= codes  # f-string families
    assert {"annual_list.issue", "annual_list.reopen"} <= codes  # ALLOWED_TRANSITIONS
    assert "evidence.add" in codes and "task.update" in codes  # AuditEntry(...) in the demo


def test_labels_are_shown_with_their_code() -> None:
    assert action_label("demo.load") == "加载演示数据（demo.load）"
    assert action_label("demo.clear") == "清除演示数据（demo.clear）"
    assert action_label("demo.supervise") == "演示数据灯号计算（demo.supervise）"
    assert action_label("no.such_action") == "no.such_action"


def test_scan_refuses_what_it_cannot_resolve() -> None:
    """A computed action, or an f-string of a family it does not know, is reported rather
    than skipped; a helper's own forwarded parameter is not."""
    source = (
        "def f(a, action):\n"
        "    audit_record(actor=None, action=action)\n"
        "    chosen = pick(a)\n"
        "    audit_record(actor=None, action=chosen)\n"
        "    AuditEntry(f'new_family.{a}', 'x')\n"
    )
    out, tree = Scan(), ast.parse(source)
    _Calls("x.py", tree, {}, out).visit(tree)
    assert out.unresolved == ["x.py:4", "x.py:5"] and out.codes == {}
