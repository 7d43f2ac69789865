"""Targets (goals) and baselines (facts) of a plan: the stable entry point the pipeline calls.
The work is done in `planwatch.parsing.quantities` (see its docstring for the rules)."""

from planwatch.parsing.quantities import (
    extract_action_targets,
    extract_quantities,
    extract_targets,
)

__all__ = ["extract_action_targets", "extract_quantities", "extract_targets"]
