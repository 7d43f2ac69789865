"""The review a simulated report went through: its steps, by the status it ended in."""

from __future__ import annotations

# The review steps a simulated report went through, by its status: (step, days after sending).
STEPS: dict[str, list[tuple[str, int]]] = {
    "submitted": [("submitted", 0)],
    "unit_approved": [("submitted", 0), ("unit_approved", 1)],
    "accepted": [("submitted", 0), ("unit_approved", 1), ("accepted", 3)],
}
