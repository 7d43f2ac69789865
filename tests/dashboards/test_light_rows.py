"""The red and yellow lists' rows, joined by the `light_rows` filter, are the HTML the former
template loop gave: every value escaped and localised, "—" for a missing deadline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.template import Context, Template

from planwatch.dashboards.selectors import LightRow
from planwatch.dashboards.templatetags.dashboards import light_rows

LOOP = Template(
    "{% for t in tasks %}\n"
    '      <tr><td><a href="{{ t.url }}">{{ t.label }}</a></td><td>{{ t.plan }}</td>'
    '<td>{{ t.lead }}</td><td>{{ t.deadline|default:"—" }}</td>'
    '<td class="num">{{ t.expected }}%</td><td class="num">{{ t.actual }}%</td></tr>\n'
    "    {% endfor %}"
)


def test_light_rows_equal_the_template_loop_and_escape() -> None:
    rows = [
        LightRow(
            7,
            "/tasks/7/?a=1&b=2",
            "2025·7. <b>桥</b>",
            "规划&",
            "发改委",
            None,
            Decimal("80.0"),
            Decimal("12.5"),
        ),
        LightRow(
            8, "/tasks/8/", '2025·8. "引号"', "", "—", date(2025, 6, 30), Decimal(0), Decimal("100")
        ),
    ]
    html = str(light_rows(rows))
    assert html == LOOP.render(Context({"tasks": rows}))
    assert "&lt;b&gt;桥&lt;/b&gt;" in html and "规划&amp;" in html and "a=1&amp;b=2" in html
    assert "<td>—</td>" in html and "<td>2025" in html
    assert light_rows([]) == ""
