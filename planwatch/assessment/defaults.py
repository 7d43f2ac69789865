"""The default tree of the 成都平原经济区 一体化发展指数 (methods.md §2): the plan's own
chapters of substance as dimensions (同城化, 协同创新, 产业协作, 开放合作, 互联互通, 公共服务,
生态共保, 体制机制) and their sections as sub-dimensions. Each entry carries the line of the
bundled plan text (../seed/sichuan-2021-five-regional-plans.txt) its heading stands on.
The plan asks for the index at lines 2460–2462: 探索建立一体化发展评估指标体系,研究发布区域
一体化发展指数. Chapter 6 (合力打造国际消费中心, line 1467) is not among methods.md's default
dimensions and is left out; a planner may add it in a new method edition."""

from __future__ import annotations

# (code, dimension name, chapter heading, line, [(code, section heading, line), …])
DEFAULT_TREE: list[tuple[str, str, str, int, list[tuple[str, str, int]]]] = [
    ("D1", "同城化", "第三章 共创新型城镇化引领示范区", 922, [
        ("D1.1", "建设现代化成都都市圈", 932),
        ("D1.2", "强化内圈外圈联动发展", 967),
        ("D1.3", "全力打造新型城镇化发展新示范", 1004),
    ]),
    ("D2", "协同创新", "第四章 协同构建区域创新共同体", 1081, [
        ("D2.1", "共塑科技创新新优势", 1088),
        ("D2.2", "推进科技成果转移转化", 1122),
        ("D2.3", "建设区域协同创新生态圈", 1151),
    ]),
    ("D3", "产业协作", "第五章 共建现代高端产业集聚区", 1217, [
        ("D3.1", "合力做强优势特色产业", 1227),
        ("D3.2", "协同打造数字经济高地", 1380),
        ("D3.3", "推动产业集聚发展和协作配套", 1420),
    ]),
    ("D4", "开放合作", "第七章 拓展内陆开放门户枢纽功能", 1588, [
        ("D4.1", "做强做优区域开放平台", 1598),
        ("D4.2", "联合提升交流合作水平", 1658),
        ("D4.3", "打造国际一流营商环境", 1696),
    ]),
    ("D5", "互联互通", "第八章 提升基础设施互联互通水平", 1748, [
        ("D5.1", "构建以轨道交通为主的综合交通网", 1758),
        ("D5.2", "加快建设普惠共享的新型数字基础设施", 1905),
        ("D5.3", "强化安全可靠的能源和水利保障", 1960),
    ]),
    ("D6", "公共服务", "第九章 优化宜居宜业生活圈", 2026, [
        ("D6.1", "提升优质公共服务供给能力", 2036),
        ("D6.2", "推进公共服务标准化便利化", 2159),
        ("D6.3", "协同推进社会治理", 2185),
    ]),
    ("D7", "生态共保", "第十章 携手打造绿色发展引领区", 2226, [
        ("D7.1", "高标准建设绿色城市", 2236),
        ("D7.2", "推动环境污染联防联控联治", 2290),
        ("D7.3", "加强生态价值转化示范", 2335),
    ]),
    ("D8", "体制机制", "第十一章 健全一体化发展体制机制", 2388, [
        ("D8.1", "促进要素市场一体化", 2396),
        ("D8.2", "推进经济区与行政区适度分离改革", 2427),
        ("D8.3", "建立协同高效的合作机制", 2443),
    ]),
]  # fmt: skip

DEFAULT_VERSION = "2021-default"
DEFAULT_TITLE = "成都平原经济区一体化发展指数"
DEFAULT_BASE_YEAR = 2020  # the plans' baseline year (“十三五” end)

# The default 绩效考核 scheme (methods.md §3). The rules and their parameters are methods.md's
# defaults (a task earns weight × min(1, progress ÷ 序时进度), completed late × 0.8; −2 per red
# case; −10 per missing report, −5 per report with nothing in it; bonuses capped at +5; grades
# 优秀 ≥ 90, 良好 80–89, 一般 60–79, 较差 < 60). Major projects (完成率, 双过半): points ×
# min(1, 完成率 ÷ 时间进度) over the unit's projects' annual investment, −2 per project under
# half at the end of June once the cut-off is after June (planwatch's starting value). An item
# with nothing to assess it on (no tasks, indicators or projects of the year; no survey
# response from the unit, or fewer than ``min_responses``) follows the common rule of such
# 考核办法, 未承担该项工作的，该项按满分计: ``when_nothing`` "full" (or "zero": 不得分).
# methods.md gives no points per item: the split below (out of 100) is planwatch's starting
# value, for a planner to change in a year's draft.
# (code, name, points, rule, params, source)
DEFAULT_SCHEME_ITEMS: list[tuple[str, str, float, str, dict[str, float | str], str]] = [
    ("tasks", "重点任务完成情况", 40.0, "key_tasks", {"late_factor": 0.8, "when_nothing": "full"},
     "年度重点任务清单与进展报送（完成进度对照序时进度）"),
    ("indicators", "监测指标完成情况", 15.0, "indicators", {"when_nothing": "full"},
     "监测指标状态（快于预期、基本符合预期、提前实现计满分）"),
    ("projects", "重大项目推进情况", 15.0, "projects",
     {"per_below_half": 2.0, "when_nothing": "full"},
     "重大项目年度投资完成率对照时间进度；6 月末未过半的项目扣分（双过半）"),
    ("reporting", "进展报送情况", 15.0, "reporting", {"per_missing": 10.0, "per_empty": 5.0},
     "进展报送（按时、附佐证材料）"),
    ("red_cases", "督办事项", 10.0, "red_cases", {"per_case": 2.0},
     "红灯督办事项"),
    ("satisfaction", "公众满意度", 5.0, "satisfaction",
     {"min_responses": 1.0, "when_nothing": "full"},
     "公众满意度问卷：满意率（非常满意、满意、基本满意占比）× 分值；无答卷按未承担规则计分"),
    ("bonus", "加分事项", 0.0, "bonus", {}, "人工录入，附佐证材料"),
    ("deduction", "扣分事项", 0.0, "deduction", {}, "人工录入，附佐证材料"),
    ("veto", "一票否决", 0.0, "veto", {}, "人工录入，附佐证材料"),
]  # fmt: skip
# The parameters each rule takes, with their defaults (a scheme copied from an older one gets
# the parameters added since, at their defaults).
RULE_PARAMS: dict[str, dict[str, float | str]] = {
    rule: params for _c, _n, _p, rule, params, _s in DEFAULT_SCHEME_ITEMS
}
# Parameters that take one of a few words instead of a number.
CHOICE_PARAMS: dict[str, tuple[str, ...]] = {"when_nothing": ("full", "zero")}
DEFAULT_GRADES: list[tuple[str, float]] = [("excellent", 90.0), ("good", 80.0), ("fair", 60.0)]
DEFAULT_BONUS_CAP = 5.0
