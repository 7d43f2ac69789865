"""The arithmetic of 绩效考核 (methods.md §3) against hand computations: item points from the
default rules, the drill-back lines adding up to each item and the items to the total,
bonuses capped, 一票否决, grades and ranks within a series."""

from __future__ import annotations

import pytest

from planwatch.assessment import scoring as s


def close(a: float, b: float) -> bool:
    return abs(a - b) < 5e-5


def test_task_earning_by_hand() -> None:
    # weight 10, progress 30 % against 序时进度 50 %: 10 · min(1, 30/50) = 6
    assert close(s.task_earning(10, 30, 50), 6.0)
    # ahead of schedule earns no more than its weight: 10 · min(1, 80/50) = 10
    assert close(s.task_earning(10, 80, 50), 10.0)
    # completed late: 10 · 1 · 0.8 = 8
    assert close(s.task_earning(10, 100, 100, completed_late=True), 8.0)
    # nothing expected yet: the whole weight
    assert close(s.task_earning(4, 0, 0), 4.0)
    with pytest.raises(s.ScoringError):
        s.task_earning(-1, 10, 20)


def test_task_item_lines_add_up_to_its_points() -> None:
    tasks = [
        s.TaskRecord("task:1", "港口", weight=2, progress=30, expected=50),  # 2·0.6 = 1.2
        s.TaskRecord("task:2", "铁路", weight=1, progress=100, expected=100, completed_late=True),
        # ↑ 1·1·0.8 = 0.8
        s.TaskRecord("task:3", "园区", weight=1, progress=75, expected=50),  # 1·1 = 1
    ]
    item = s.task_item("tasks", 40, tasks)
    # Σ weight = 4; lines = 40·1.2/4 = 12, 40·0.8/4 = 8, 40·1/4 = 10; points = 30
    assert [round(line.points, 4) for line in item.lines] == [12.0, 8.0, 10.0]
    assert close(item.points, 30.0)
    assert close(sum(line.points for line in item.lines), item.points)
    assert [line.ref for line in item.lines] == ["task:1", "task:2", "task:3"]
    # no task at all: nothing to assess; 不得分 earns 0, the default 按满分计 earns all 40,
    # each on one line saying why
    assert s.task_item("tasks", 40, [], when_nothing=s.ZERO).points == 0.0
    full = s.task_item("tasks", 40, [], nothing_label="无考核对象，按满分计")
    assert full.points == 40.0
    assert [(ln.kind, ln.label, ln.points) for ln in full.lines] == [
        (s.NOTHING, "无考核对象，按满分计", 40.0)
    ]


def test_deduction_item_by_hand_with_its_floor() -> None:
    ded = s.red_case_deductions([("case:7", "红灯"), ("case:9", "红灯")]) + s.report_deductions(
        missing=[("report:3", "一季度未报")], empty=[("report:5", "空报")]
    )
    # 20 − 2 − 2 − 10 − 5 = 1
    item = s.deduction_item("health", 20, ded)
    assert close(item.points, 1.0)
    assert close(item.max_points + sum(line.points for line in item.lines), item.points)
    assert [line.points for line in item.lines] == [-2.0, -2.0, -10.0, -5.0]
    # 10 − 19 would be −9: floored at 0, a floor line of +9 keeps the sum
    item = s.deduction_item("health", 10, ded)
    assert item.points == 0.0
    assert item.lines[-1].kind == s.FLOOR and close(item.lines[-1].points, 9.0)
    assert close(item.max_points + sum(line.points for line in item.lines), item.points)


def test_ratio_item_and_bonus_cap() -> None:
    # 15 points × 7 of 10 indicators on track = 10.5
    assert close(s.ratio_item("ind", 15, 7 / 10).points, 10.5)
    assert s.ratio_item("ind", 15, None, when_nothing=s.ZERO).points == 0.0
    nothing = s.ratio_item("ind", 15, None)  # the default: 未承担该项工作的，按满分计
    assert nothing.points == 15.0 and sum(ln.points for ln in nothing.lines) == 15.0
    with pytest.raises(s.ScoringError):
        s.nothing_item("ind", 15, "half")
    # bonuses 3 + 4 = 7, capped at 5: a line of −2
    total, lines = s.bonus_total([s.Bonus("b:1", "表彰", 3), s.Bonus("b:2", "创新", 4)])
    assert total == 5.0 and lines[-1].points == -2.0
    assert close(sum(line.points for line in lines), total)
    assert s.bonus_total([s.Bonus("b:1", "表彰", 3)])[0] == 3.0


def test_project_item_by_hand() -> None:
    # 宜宾 leads three projects; cut-off September: 时间进度 = 9/12 = 0.75
    p = [
        # plan 1000, YTD 600 (完成率 60 %); June YTD 400 (40 % < half: 双过半 failed)
        s.ProjectRecord("project:1", "港口", ytd=600, annual_plan=1000, june_ytd=400),
        # plan 500, YTD 300 (60 %); June YTD 300 (60 %: past half)
        s.ProjectRecord("project:2", "铁路", ytd=300, annual_plan=500, june_ytd=300),
        # no plan this year: not assessed
        s.ProjectRecord("project:3", "园区", ytd=50, annual_plan=0, june_ytd=0),
    ]
    item = s.project_item("projects", 15, p, month=9)
    # 完成率 = 900 / 1500 = 0.6; 0.6 / 0.75 = 0.8 → 15 × 0.8 = 12, split by YTD:
    # 港口 15 × 600 / (1500 × 0.75) = 8, 铁路 15 × 300 / 1125 = 4; 港口 under half in June −2
    # → 12 − 2 = 10
    assert [(ln.kind, ln.ref, round(ln.points, 4)) for ln in item.lines] == [
        ("project", "project:1", 8.0),
        ("project", "project:2", 4.0),
        ("below_half", "project:1", -2.0),
    ]
    assert close(item.points, 10.0)
    assert close(sum(ln.points for ln in item.lines), item.points)
    # the same in June: 时间进度 0.5, 0.6 / 0.5 > 1 → capped at 15 (a floor line of
    # 15 − 18 = −3 cuts 8 × 0.75/0.5 + 4 × 0.75/0.5 = 18); no 双过半 check before July
    june = s.project_item("projects", 15, p, month=6)
    assert close(june.points, 15.0)
    assert june.lines[-1].kind == s.FLOOR and close(june.lines[-1].points, -3.0)
    assert close(sum(ln.points for ln in june.lines), june.points)
    # five failed projects × 2 = 10 > what they earned (0): floored at 0, the floor line +10
    poor = [s.ProjectRecord(f"project:{i}", "x", 0, 100, 0) for i in range(5)]
    worst = s.project_item("projects", 15, poor, month=12, per_below_half=2)
    assert worst.points == 0.0 and worst.lines[-1].kind == s.FLOOR
    assert close(worst.lines[-1].points, 10.0)
    assert close(sum(ln.points for ln in worst.lines), 0.0)
    # no project with a plan: nothing to assess (按满分计 by default; 不得分 on request)
    assert s.project_item("projects", 15, p[2:], month=9).points == 15.0
    assert s.project_item("projects", 15, [], month=9, when_nothing=s.ZERO).points == 0.0
    assert s.project_item("projects", 15, p, month=0).lines[0].kind == s.NOTHING


def test_unit_total_grade_and_drill_back() -> None:
    tasks = s.task_item(
        "tasks",
        60,
        [s.TaskRecord("task:1", "a", 1, 40, 50), s.TaskRecord("task:2", "b", 1, 50, 50)],
    )  # 60·(0.8 + 1)/2 = 54
    health = s.deduction_item("health", 20, s.report_deductions([], [("report:5", "空报")]))  # 15
    ind = s.ratio_item("ind", 20, 0.5)  # 10
    bonus, blines = s.bonus_total([s.Bonus("b:1", "表彰", 2)])
    r = s.UnitResult("宜宾市", [tasks, health, ind], bonus=bonus, bonus_lines=blines)
    # 54 + 15 + 10 + 2 = 81 → 良好
    assert close(r.total, 81.0)
    assert r.grade() == s.GOOD
    assert close(sum(i.points for i in r.items) + sum(x.points for x in r.bonus_lines), r.total)
    r.vetoed = True
    assert r.grade() == s.VETOED


def test_grades_by_thresholds() -> None:
    assert s.grade(90) == s.EXCELLENT
    assert s.grade(89.99) == s.GOOD
    assert s.grade(80) == s.GOOD
    assert s.grade(60) == s.FAIR
    assert s.grade(59.9) == s.POOR
    assert s.grade(95, vetoed=True) == s.VETOED
    assert s.grade(70, thresholds=(("excellent", 95.0), ("good", 70.0))) == "good"


def test_rank_within_series() -> None:
    totals = {"宜宾": 88.0, "泸州": 92.0, "自贡": 88.0, "内江": 70.0, "乐山": 99.0}
    # 乐山 is vetoed: after everyone else. 泸州 1, 宜宾 = 自贡 2, 内江 4, 乐山 5
    assert s.rank(totals, vetoed=["乐山"]) == {
        "泸州": 1,
        "宜宾": 2,
        "自贡": 2,
        "内江": 4,
        "乐山": 5,
    }
    assert s.rank({}) == {}
