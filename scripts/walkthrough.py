"""Walk-through: each persona's first ten minutes against the REAL server, timed.

A fresh var dir (SQLite database, queue, static files) is set up with `planwatch setup`
(optionally `planwatch demo`), persona accounts with known passwords are created, and
`planwatch serve` (gunicorn workers + the queue worker) is started on 127.0.0.1:PORT. Debian's
Chromium, driven by Playwright, then signs in as each persona and does what they do first,
clicking links and buttons by their Chinese text:

- 川南 planner: workbench → plans → the 川南 plan → a chapter → 年度重点任务清单 → generate
  this year's list → completeness summary → task list: tick all, set 完成标准 (and a lead unit
  where missing) → 下达清单 → task list;
- 宜宾 reporter: workbench → a task → fill progress and narrative → 报送;
- 宜宾 unit reviewer: workbench → review queue → the report → 审核通过;
- the planner again: workbench → the report → 采纳;
- province leader: workbench → dashboards: province, 川南, 宜宾 → 督办 case list;
- administrator: workbench → 后台作业 → 审计 → 用户管理.

Every page passed is recorded with its status and Navigation Timing figures (server =
responseEnd − requestStart, load = loadEventEnd − startTime); a POST that redirects counts as
the page it lands on. One Markdown table per persona is printed; the exit status is non-zero
when a page answered ≥ 400 or a step failed. Screenshots of each landing page go to the var dir.

Run: `make walkthrough` or `.venv/bin/python scripts/walkthrough.py [--var /tmp/pw-walk]
[--port 8170] [--demo] [--workers 3]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLANWATCH = [sys.executable, "-m", "django"]
CHROMIUM = os.environ.get("PLANWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "Walk-through-2026!"
ZONE = "zone:south-sichuan"
PLAN_TITLE = "川南经济区“十四五”一体化发展规划"
CRITERION = "完成年度建设任务"
PERSONAS = (
    ("walk_planner", ZONE, "planner", "川南规划处室"),
    ("walk_reporter", "511500", "reporter", "宜宾填报人"),
    ("walk_reviewer", "511500", "unit_reviewer", "宜宾审核人"),
    ("walk_leader", "510000", "leader", "省领导"),
    ("walk_admin", "510000", "admin", "系统管理员"),
)
CREATE_USERS = """
import django
django.setup()
from planwatch.accounts.services import user_create
from planwatch.orgunits.models import OrgUnit
from django.contrib.auth.models import User
for username, code, role, name in {personas!r}:
    if not User.objects.filter(username=username).exists():
        user_create(actor=None, username=username, password={password!r}, name=name,
                    org_unit=OrgUnit.objects.get(code=code), role=role)
"""


# --- the server ---------------------------------------------------------------------------


def planwatch(env: dict[str, str], *args: str) -> None:
    proc = subprocess.run(
        [*PLANWATCH, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"planwatch {' '.join(args)} failed:\n{proc.stderr[-3000:]}")


def prepare(var: Path, demo: bool) -> dict[str, str]:
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    # As `make run` does: no PLANWATCH_SECRET_KEY, so every worker reads the key that
    # `setup` stores in the var directory (issue 9 item 1).
    env = {
        **{k: v for k, v in os.environ.items() if k != "PLANWATCH_SECRET_KEY"},
        "PLANWATCH_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": "",
        "PLANWATCH_QUEUE_URL": "",
    }
    began = time.perf_counter()
    planwatch(env, "setup")
    print(f"setup: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    if demo:
        began = time.perf_counter()
        planwatch(env, "demo")
        print(f"demo: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    script = CREATE_USERS.format(personas=PERSONAS, password=PASSWORD)
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)
    return env


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    server = subprocess.Popen(
        [*PLANWATCH, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with all its workers
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"the server did not answer within 90 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- recording ----------------------------------------------------------------------------


@dataclass
class Row:
    step: str
    path: str
    title: str
    status: int
    server_ms: float
    load_ms: float


@dataclass
class Persona:
    name: str
    rows: list[Row] = field(default_factory=list)
    failure: str = ""
    skipped: str = ""


TIMING = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return n ? [n.responseEnd - n.requestStart, n.loadEventEnd - n.startTime] : [0, 0];
}"""


class Walker:
    def __init__(self, page: Any, base: str, shots: Path) -> None:
        self.page = page
        self.base = base
        self.shots = shots
        self.current: Persona | None = None
        page.on("dialog", lambda dialog: dialog.accept())

    def record(self, step: str, response: Any) -> None:
        page = self.page
        page.wait_for_load_state("load")
        page.wait_for_function(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return !n || n.loadEventEnd > 0; }"
        )
        server, load = page.evaluate(TIMING)
        status = response.status if response is not None else 0
        path = page.url.removeprefix(self.base)
        assert self.current is not None
        self.current.rows.append(Row(step, path, page.title(), status, server, load))
        if status >= 400:
            raise StepFailed(f"{step}: {path} answered {status}")

    def note(self, texts: list[str]) -> None:
        """Add what the page says (a summary, a message) to the last row's step."""
        assert self.current is not None and self.current.rows
        said = " ".join(" ".join(t.split()) for t in texts if t.strip())
        if said:
            self.current.rows[-1].step += f"（{said}）"

    def go(self, step: str, path: str) -> None:
        self.record(step, self.page.goto(self.base + path))

    def click(self, step: str, target: Any) -> None:
        """Click something that loads a page (a link, or a button posting a form)."""
        with self.page.expect_navigation() as nav:
            target.click()
        self.record(step, nav.value)

    def link(self, step: str, name: str, scope: Any = None, exact: bool = True) -> None:
        where = scope if scope is not None else self.page
        self.click(step, where.get_by_role("link", name=name, exact=exact).first)

    def button(self, step: str, name: str) -> None:
        self.click(step, self.page.get_by_role("button", name=name, exact=True).first)

    def nav(self, step: str, name: str) -> None:
        self.link(step, name, self.page.locator("nav.site-nav"))

    def sign_in(self, username: str) -> None:
        page = self.page
        page.context.clear_cookies()
        self.go("登录页", "/accounts/login/")
        page.get_by_label("登录名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        self.button("登录 → 工作台", "登录")
        if not page.url.endswith("/workbench/"):
            raise StepFailed(f"signing in as {username} landed on {page.url}, not /workbench/")
        page.screenshot(path=str(self.shots / f"walk-{username}-landing.png"), full_page=True)

    def expect_text(self, text: str) -> None:
        if text not in self.page.content():
            raise StepFailed(f"{self.page.url}: expected 「{text}」 on the page")


class StepFailed(Exception):
    pass


class NothingToDo(Exception):
    """The persona has nothing of this kind waiting (e.g. the demo has done it): said, not
    counted as a failure."""


# --- the personas -------------------------------------------------------------------------


def planner_plans_the_year(w: Walker) -> None:
    page = w.page
    year = dt.date.today().year
    w.sign_in("walk_planner")
    w.nav("规划列表", "规划")
    w.link("川南规划", PLAN_TITLE, page.locator("main"))
    w.click("一章", page.locator("main a[href*='/n/']").first)
    w.nav("任务列表", "任务")
    w.link("年度重点任务清单", "年度重点任务清单", page.locator("main"))
    issued = page.locator("main tbody tr", has_text=PLAN_TITLE).filter(has_text=str(year))
    issued = issued.filter(has_text="已下达")
    if issued.count():  # the demo has issued this year's list already: open it, go on
        w.click(f"{year} 清单（已下达）", issued.first.locator("a").first)
        w.nav("任务列表", "任务")
        raise NothingToDo(f"the {year} list of 川南 is issued already (demo): not generated")
    page.select_option("#id_plan", label=PLAN_TITLE, force=True)
    page.fill("#id_year", str(year))
    w.button(f"生成 {year} 清单 → 完整性检查", "生成")
    list_url = page.url
    w.expect_text("完整性检查")
    w.note(page.locator(".check-summary-lead, .check-summary li").all_inner_texts())
    # The task list, this list's tasks only; on every page: tick all, set 完成标准, and the
    # lead unit of the rows that have none.
    w.nav("任务列表", "任务")
    page.select_option("#id_plan", label=PLAN_TITLE, force=True)
    page.select_option("#id_year", str(year), force=True)
    w.button("筛选本清单", "筛选")
    n = 0
    while True:
        n += 1
        page.locator("input.select-all").check()
        page.fill("#id_criterion", CRITERION)
        w.button(f"第 {n} 页：批量设置完成标准", "设置完成标准")
        w.expect_text("已更新")
        w.note(page.locator(".messages li").all_inner_texts())
        rows = page.locator("table tbody tr")
        missing = [
            i
            for i in range(rows.count())
            if rows.nth(i).locator("td").nth(6).inner_text().strip() == "—"
        ]
        if missing:
            for i in missing:
                rows.nth(i).locator("input[name=pk]").check()
            choose_unit(page, "#id_lead_unit", "四川省发展和改革委员会")
            w.button(f"第 {n} 页：批量设置牵头单位", "设置牵头单位")
        following = page.get_by_role("link", name="下一页", exact=True)
        if following.count() == 0:
            break
        w.click(f"第 {n + 1} 页", following.first)
    w.link("年度重点任务清单", "年度重点任务清单", page.locator("main"))
    w.click("本清单", page.locator(f"main a[href='{list_url.removeprefix(w.base)}']").first)
    w.expect_text("检查通过")
    w.button("下达清单（确认）", "下达清单")
    w.expect_text("清单已下达")
    w.nav("任务列表", "任务")


def choose_unit(page: Any, select: str, name: str) -> None:
    """Pick a unit in a unit picker (a <select>, enhanced by Tom Select when present)."""
    options = page.locator(f"{select} option", has_text=name)
    if options.count() == 0:
        raise StepFailed(f"no unit 「{name}」 in {select}")
    page.select_option(select, value=options.first.get_attribute("value"), force=True)


def reporter_reports(w: Walker) -> None:
    page = w.page
    w.sign_in("walk_reporter")
    waiting(w)
    w.click("待填报任务", page.locator("section.workbench-item tbody a").first)
    start = page.locator("form[action$='/reports/start/'] button")
    if start.count():
        w.click("开始填报", start.first)
    page.fill("#id_completion", "30")
    page.fill("#id_narrative", "已完成可研批复，正在开展初步设计。")
    w.button("报送", "报送")
    w.expect_text("已报送")


def waiting(w: Walker) -> None:
    if w.page.locator("section.workbench-item").count() == 0:
        raise NothingToDo("the workbench says 暂无待办事项")


def reviewer_approves(w: Walker) -> None:
    page = w.page
    w.sign_in("walk_reviewer")
    waiting(w)
    w.click("待我审核（列表）", page.locator("main a[href^='/reports/queue/']").first)
    w.click("报告", page.locator("main table a[href^='/reports/']").first)
    w.button("审核通过", "审核通过")


def planner_accepts(w: Walker) -> None:
    page = w.page
    w.sign_in("walk_planner")
    waiting(w)
    w.click("待我审核（列表）", page.locator("main a[href^='/reports/queue/']").first)
    w.click("报告", page.locator("main table a[href^='/reports/']").first)
    w.button("采纳", "采纳")
    w.expect_text("已采纳")


def leader_looks(w: Walker) -> None:
    page = w.page
    w.sign_in("walk_leader")
    w.nav("看板", "看板")
    w.link("全省总览", "全省总览", page.locator("main"))
    w.nav("看板", "看板")
    w.link("川南经济区看板", "川南经济区", page.locator("main"))
    # 宜宾 on the map (a canvas), or in the map's 数据表 below it, opened first.
    card = page.locator("section.card", has=page.locator("#chart-map"))
    card.locator("summary", has_text="数据表").click()
    w.link("宜宾市看板", "宜宾市", card)
    w.nav("督办事项", "督办")


def admin_checks(w: Walker) -> None:
    w.sign_in("walk_admin")
    w.nav("后台作业", "后台作业")
    w.nav("审计日志", "审计")
    w.nav("用户管理", "用户管理")


WALK: tuple[tuple[str, Callable[[Walker], None]], ...] = (
    ("川南规划处室（制定清单）", planner_plans_the_year),
    ("宜宾填报人", reporter_reports),
    ("宜宾单位审核人", reviewer_approves),
    ("川南规划处室（采纳）", planner_accepts),
    ("省领导", leader_looks),
    ("系统管理员", admin_checks),
)


def walk(base: str, shots: Path) -> list[Persona]:
    from playwright.sync_api import sync_playwright

    done: list[Persona] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            walker = Walker(context.new_page(), base, shots)
            for name, steps in WALK:
                persona = Persona(name)
                walker.current = persona
                done.append(persona)
                try:
                    steps(walker)
                except NothingToDo as exc:
                    persona.skipped = str(exc)
                except Exception as exc:  # a failed step: said, and the walk goes on
                    persona.failure = f"{type(exc).__name__}: {exc}".splitlines()[0]
                    walker.page.screenshot(
                        path=str(shots / f"walk-failed-{len(done)}.png"), full_page=True
                    )
        finally:
            browser.close()
    return done


# --- the report ---------------------------------------------------------------------------


def table(persona: Persona) -> str:
    lines = [
        f"### {persona.name}",
        "",
        "| # | step | page | status | server ms | load ms |",
        "|---:|---|---|---:|---:|---:|",
    ]
    for i, r in enumerate(persona.rows, 1):
        title = r.title.split(" · ")[0]
        lines.append(
            f"| {i} | {r.step} | {title} `{r.path}` | {r.status} "
            f"| {r.server_ms:.0f} | {r.load_ms:.0f} |"
        )
    server = sum(r.server_ms for r in persona.rows)
    load = sum(r.load_ms for r in persona.rows)
    lines.append(
        f"| | **total ({len(persona.rows)} pages)** | | | **{server:.0f}** | **{load:.0f}** |"
    )
    if persona.skipped:
        lines += ["", f"Stopped after step {len(persona.rows)}, nothing to do: {persona.skipped}"]
    if persona.failure:
        lines += ["", f"**FAILED** after step {len(persona.rows)}: {persona.failure}"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=Path("/tmp/pw-walk"))
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--demo", action="store_true", help="load the demonstration data")
    args = parser.parse_args()
    env = prepare(args.var, args.demo)
    server = start_server(env, args.port, args.workers, args.var / "server.log")
    try:
        personas = walk(f"http://127.0.0.1:{args.port}", args.var)
    finally:
        stop_server(server)
    demo = "with the demonstration data" if args.demo else "bundled plans only"
    print(
        textwrap.dedent(f"""\
        ## Walk-through ({demo}), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC

        planwatch serve, {args.workers} gunicorn workers + queue worker, SQLite; Chromium
        headless on this machine. server = responseEnd − requestStart, load = loadEventEnd −
        startTime (Navigation Timing), in ms.
        """)
    )
    for persona in personas:
        print(table(persona) + "\n")
    bad = [
        f"{p.name}: step {i} {r.step} {r.path} answered {r.status}"
        for p in personas
        for i, r in enumerate(p.rows, 1)
        if r.status >= 400
    ] + [f"{p.name}: {p.failure}" for p in personas if p.failure]
    rows = [r for p in personas for r in p.rows]
    print(
        f"**All personas: {len(rows)} pages, server {sum(r.server_ms for r in rows):.0f} ms, "
        f"load {sum(r.load_ms for r in rows):.0f} ms.**"
    )
    if bad:
        print("\nFAILED:\n" + "\n".join(f"- {b}" for b in bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
