"""Targets and baselines of a plan (parse-contract "Target and Quantity").

    targets, baselines = extract_targets(plan)
    action_targets = extract_action_targets(plan)
    quantities = extract_quantities(text, spans=…, default_line=…, default_page=…,
                                    year_default=2020, goal=False)

Rules chosen (each module's docstring has the detail):

- Sections: goals are the chapter/section/heading titled 发展目标 / 主要目标 / 规划目标 /
  总体目标 / 远景目标 (numbering ignored) plus any 主要指标 table (a 属性 or target column);
  baselines are 发展基础 / 发展现状 / 现实基础 … sections standing before the first goal section.
- Every clause of a goal paragraph (split at 。；, and commas outside brackets) is a target:
  numeric when it holds a quantity, else qualitative (value null) unless it is only a time
  phrase. `A、B等指标完成省上下达的目标任务` gives one qualitative target per listed indicator.
  Baselines keep numeric facts only.
- Comparators: 超过/突破/大于/高于/N余 ">"; N以上/不低于/至少/力争达到 ">="; 达到/达/提高到 ">="
  in a goal but "=" in a fact; 为/是/保持在 "="; 约/近/N左右 "~"; 不超过/控制在/N以内/N以下 "<=";
  低于/小于 "<"; null when the text states none.
- Kinds: growth (年均增长, 增长, 提高 N个百分点), reduction (下降, 降低, 减少), share (占…比重,
  占比 with %), count (个 家 对 所 项 列 张 人次 …, also 万名), level otherwise; a three-part
  三次产业结构 ratio becomes three sector shares; `2.4:1` is value 2.4, unit ":1".
- Not quantities: years, numbers glued to Latin letters (PM2.5, 5G, G317, V2.0, 5A级), 第N,
  N吨级 / N千伏 classes, N小时…圈 rings, 2环10射 networks, 0—3岁 bands, numbers in 《titles》,
  numbers without a unit unless a comparator verb leads to them.
- Years: `到/展望 YYYY年` dates the rest of the paragraph, any other year or “十三五”时期 the
  rest of the sentence, `由/从/较/是 YYYY年的` (or “十二五”末) the start/reference value;
  otherwise the plan's end year for goals (2035 under a 远景 heading) and the year before the
  plan starts for facts.
- Grounding: `line`/`page` of the character where the clause starts (the contract's example
  grounds “常住人口城镇化率超过 70%” at 909, where the clause starts, though 70% is on 911).
- Elsewhere (decision 0016): `…主要预期目标是：…` lists and the goal paragraphs of a `…目标任务`
  section are targets too; every other paragraph is action text, whose quantities are targets
  (`extract_action_targets`, the plan's `action_targets`) unless they are facts, qualifiers or
  project sizes (`actions`).

Modules: `text` (normalised view with an offset map, clause splitting), `numbers` (what counts
as a quantity), `phrases` (verbs → comparator and kind, indicator names, time phrases),
`extract` (one paragraph), `goals` (qualitative goals), `actions` (action text and target
lists), `accuracy` (precision/recall against a hand-checked sample), `tables` (主要指标
tables), `plan` (finding the goal and baseline sections)."""

from planwatch.parsing.quantities.extract import extract_quantities
from planwatch.parsing.quantities.plan import (
    extract_action_targets,
    extract_targets,
    find_sections,
    plan_years,
)

__all__ = [
    "extract_action_targets",
    "extract_quantities",
    "extract_targets",
    "find_sections",
    "plan_years",
]
