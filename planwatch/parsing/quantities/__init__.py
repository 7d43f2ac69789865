"""Targets and baselines of a plan (parse-contract "Target and Quantity").

    targets, baselines = extract_targets(plan)
    quantities = extract_quantities(text, spans=…, default_line=…, default_page=…,
                                    year_default=2020)

Modules: `text` (normalised view with an offset map, clause splitting), `numbers` (what counts
as a quantity), `phrases` (verbs → comparator and kind, indicator names, time phrases),
`extract` (one paragraph), `goals` (qualitative goals), `tables` (主要指标 tables), `plan`
(finding the goal and baseline sections)."""

from planwatch.parsing.quantities.extract import extract_quantities
from planwatch.parsing.quantities.plan import extract_targets, find_sections, plan_years

__all__ = ["extract_quantities", "extract_targets", "find_sections", "plan_years"]
