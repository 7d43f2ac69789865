"""Charts of the documents, drawn on the server as PNG with matplotlib from the same figures
as the pages and the document's tables. Chinese labels need a CJK font: Debian's
fonts-noto-cjk is installed at set-up (.ci/run); without any CJK font a chart fails with a
clear message rather than drawing empty boxes."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

# Preferred first: a serif (宋) face suits 公文, then the sans faces, then whatever is there.
PREFERRED = (
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Noto Serif CJK JP",
    "Noto Sans CJK JP",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimSun",
    "FangSong",
    "SimHei",
)


class ChartFontMissing(RuntimeError):
    """No font able to draw Chinese is installed."""


@cache
def cjk_font() -> str:
    """The family name of an installed CJK font matplotlib can use."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED:
        if name in names:
            return name
    for name in sorted(names):
        if "CJK" in name or "Hei" in name or "Song" in name:
            return name
    raise ChartFontMissing(
        "没有可用的中文字体，无法绘制图表："
        "请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）。"
    )


def draw(chart: dict[str, Any]) -> bytes:
    """PNG of a chart spec: {"kind": "bar", "labels": […], "series": [{"name", "values"}],
    "unit": …} or {"kind": "line", …} with the same keys."""
    font = cjk_font()
    with plt.rc_context({"font.family": [font], "axes.unicode_minus": False, "font.size": 10}):
        fig, ax = plt.subplots(figsize=(6.3, 3.2), dpi=150)
        labels = [str(x) for x in chart.get("labels", [])]
        series = chart.get("series", [])
        positions = list(range(len(labels)))
        if chart.get("kind") == "line":
            for s in series:
                values = [v if v is not None else float("nan") for v in s["values"]]
                ax.plot(positions, values, marker="o", label=s["name"])
        else:
            width = 0.8 / max(len(series), 1)
            for i, s in enumerate(series):
                xs = [x + i * width - 0.4 + width / 2 for x in positions]
                values = [v or 0 for v in s["values"]]
                bars = ax.bar(xs, values, width=width, label=s["name"])
                ax.bar_label(bars, fmt="%g", fontsize=8)
        ax.set_xticks(positions, labels)
        if chart.get("unit"):
            ax.set_ylabel(chart["unit"])
        if len(series) > 1:
            ax.legend()
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        plt.close(fig)
    return out.getvalue()
