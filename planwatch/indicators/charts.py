"""The data behind an indicator page's charts: the actual line against the expected path
(for the indicator's own place) and the prefectures coloured by status in their latest year."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from planwatch.indicators import methods as m
from planwatch.indicators.models import ComputedStatus, Indicator, Observation
from planwatch.indicators.selectors import path_for
from planwatch.orgunits.choices import OrgUnitKind

STATUS_CLASS = {
    m.AHEAD: "ahead",
    m.FASTER: "faster",
    m.ON_TRACK: "on-track",
    m.LAGGING: "lagging",
    m.MET: "met",
    m.NOT_MET: "not-met",
}
STATUS_COLOURS = {
    m.AHEAD: "#1b7f3b",
    m.FASTER: "#2e9d4f",
    m.ON_TRACK: "#3a78c2",
    m.LAGGING: "#c0392b",
    m.MET: "#2e9d4f",
    m.NOT_MET: "#c0392b",
}


def indicator_chart_data(
    ind: Indicator, observations: list[Observation], statuses: dict[int, ComputedStatus]
) -> dict[str, Any]:
    path = path_for(ind)
    own = {o.year: o.value for o in observations if o.place_id == ind.place_id}
    years = sorted({y for y, _v in path} | set(own))
    expected = dict(path)
    latest: dict[int, Observation] = {}
    for o in observations:
        if o.place.kind == OrgUnitKind.PREFECTURE and (
            o.place_id not in latest or o.year > latest[o.place_id].year
        ):
            latest[o.place_id] = o
    prefectures = []
    for o in latest.values():
        st = statuses.get(o.pk)
        status = st.status if st else ""
        prefectures.append(
            {
                "name": o.place.name,
                "adcode": o.place.adcode or "",
                "year": o.year,
                "value": o.value,
                "status": status,
                "colour": STATUS_COLOURS.get(status, "#bbbbbb"),
            }
        )
    return {
        "years": [str(y) for y in years],
        "expected": [None if y not in expected else round(expected[y], 4) for y in years],
        "actual": [own.get(y) for y in years],
        "unit": ind.unit,
        "prefectures": prefectures,
        "labels": {
            "expected": _("预期路径"),
            "actual": _("实际值"),
            "nodata": _("无数据"),
            "status": _("状态"),
        },
    }
