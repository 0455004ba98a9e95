"""The report's charts, drawn by matplotlib (Agg, no display) with a CJK font found on the machine: SVG for the page
(served by an access-checked view, shown through <img>: no script), PNG for the .docx. Same figures as the tables:
every value comes from selectors.Shown."""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .figures import FIGURE_BY_KEY, figure_value  # noqa: E402

# Installed by the system packages fonts-noto-cjk / fonts-wqy-microhei; the first found is used.
CJK_FONT_HINTS = ("NotoSansCJK", "NotoSansSC", "wqy-microhei", "wqy-zenhei", "SourceHanSans", "simhei", "msyh")
CHARTS = ("completion", "hours", "rates")
RATE_KEYS = ("training_rate", "annual_sit_rate", "annual_pass_rate", "cert_rate")
MAX_UNITS = 30
COLOURS = ("#1f6feb", "#2da44e", "#bf8700", "#cf222e")


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The family name of an installed CJK font (registered with matplotlib), or None (then CJK shows as boxes)."""
    for path in sorted(font_manager.findSystemFonts()):
        if any(hint.lower() in path.lower() for hint in CJK_FONT_HINTS):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def _figure(height: float = 3.6) -> Figure:
    figure = Figure(figsize=(7.2, height), dpi=100, layout="constrained")
    return figure


def _style(ax) -> None:
    family = cjk_family()
    if family:
        for item in [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]:
            item.set_fontfamily(family)
    ax.spines[["top", "right"]].set_visible(False)


def _legend(ax) -> None:
    family = cjk_family()
    ax.legend(prop={"family": family} if family else None, frameon=False, fontsize=8)


def completion_chart(shown) -> Figure:
    """受训率 by unit (the units of the table, as far as MAX_UNITS)."""
    rows = shown.units[:MAX_UNITS]
    figure = _figure(max(2.4, 0.32 * len(rows) + 1.2))
    ax = figure.add_subplot()
    names = [("  " * max(0, u["depth"] - rows[0]["depth"]) + u["name"]) if rows else "" for u in rows]
    spec = FIGURE_BY_KEY["training_rate"]
    values = [float(figure_value(spec, shown.report.counts(u["path"]), shown.report.hours_per_day) or 0) for u in rows]
    ax.barh(range(len(rows)), values, color=COLOURS[0])
    ax.set_yticks(range(len(rows)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(str(spec.label) + " (%)")
    for i, value in enumerate(values):
        ax.text(value + 1, i, f"{value:.1f}%", va="center", fontsize=8)
    _style(ax)
    return figure


def hours_chart(shown) -> Figure:
    """How many officers earned how many hours this year (10-hour bands)."""
    bands = shown.hours_distribution()
    figure = _figure()
    ax = figure.add_subplot()
    ax.bar(range(len(bands)), [count for _label, count in bands], color=COLOURS[1])
    ax.set_xticks(range(len(bands)), [label for label, _count in bands], rotation=30)
    ax.set_xlabel(_("学时"))
    ax.set_ylabel(_("人数"))
    for i, (_label, n) in enumerate(bands):
        if n:
            ax.text(i, n, str(n), ha="center", va="bottom", fontsize=8)
    _style(ax)
    return figure


def rates_chart(years) -> Figure:
    """受训率, 参考率, 通过率, 持证率 of the shown years side by side."""
    figure = _figure()
    ax = figure.add_subplot()
    width = 0.8 / len(RATE_KEYS)
    for k, key in enumerate(RATE_KEYS):
        spec = FIGURE_BY_KEY[key]
        values = [float(figure_value(spec, s.counts(), s.report.hours_per_day) or 0) for s in years]
        positions = [i + (k - (len(RATE_KEYS) - 1) / 2) * width for i in range(len(years))]
        ax.bar(positions, values, width=width, label=str(spec.label), color=COLOURS[k % len(COLOURS)])
    ax.set_xticks(range(len(years)), [str(s.year) for s in years])
    ax.set_ylim(0, 110)
    ax.set_ylabel("%")
    _style(ax)
    _legend(ax)
    return figure


def render(figure: Figure, fmt: str) -> bytes:
    """SVG (text as paths: no font needed to view it, nothing executable) or PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "reports"}):
        figure.savefig(
            buffer, format=fmt, dpi=150 if fmt == "png" else 100, metadata={"Date": None} if fmt == "svg" else None
        )
    return buffer.getvalue()


def chart(name: str, *, shown, years) -> Figure:
    if name == "completion":
        return completion_chart(shown)
    if name == "hours":
        return hours_chart(shown)
    if name == "rates":
        return rates_chart(years)
    raise ValueError(name)
