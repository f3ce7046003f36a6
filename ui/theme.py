"""One look for every page: spacing, KPI tiles, red/amber/green colours, and the small charts drawn in HTML
(a funnel, shares, sparklines), which cost the browser next to nothing beside a plotly chart."""
from __future__ import annotations

import html
import re

import streamlit as st

RAG_COLOURS = {"green": "#1f9d55", "amber": "#d97706", "red": "#dc2626", "none": "#64748b"}

_CSS = """
<style>
.block-container {padding-top: 2.2rem; padding-bottom: 2rem; max-width: 1400px;}
.kpi {border: 1px solid #e2e8f0; border-radius: 10px; padding: 0.7rem 0.9rem; background: #fff;
      border-left: 6px solid var(--rag); min-height: 112px; margin-bottom: .6rem;}
.kpi .label {font-size: 0.78rem; color: #475569; text-transform: uppercase; letter-spacing: .04em;}
.kpi .value {font-size: 1.55rem; font-weight: 650; color: #0f172a; margin-top: .1rem;}
.kpi .delta {font-size: 0.82rem; color: #334155;}
.kpi .delta.up {color: #15803d;} .kpi .delta.down {color: #b91c1c;}
.kpi .target {font-size: 0.78rem; color: #64748b;}
.kpi svg.spark {display: block; width: 100%; height: 30px; margin-top: .35rem; overflow: visible;}
.empty {border: 1px dashed #cbd5e1; border-radius: 10px; padding: 1.4rem; background: #f8fafc; color: #334155;}
.empty h4 {margin: 0 0 .4rem 0;}
.sentence {padding: .35rem 0; border-bottom: 1px solid #f1f5f9;}
.chart-title {font-weight: 600; font-size: 1rem; color: #1f2937; margin: .2rem 0 .6rem 0;}
.funnel .step {margin: 0 auto; border-radius: 8px; padding: .55rem .9rem; color: #fff;}
.funnel .step .label {font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; opacity: .9;}
.funnel .step .value {font-size: 1.35rem; font-weight: 650;}
.funnel .step .note {font-size: .78rem; opacity: .9;}
.funnel .rate {text-align: center; color: #475569; font-size: .82rem; padding: .25rem 0;}
.shares .row {display: flex; align-items: center; gap: .6rem; margin-bottom: .45rem;}
.shares .name {width: 5.5rem; font-size: .8rem; color: #475569; text-align: right;}
.shares .bar {flex: 1; display: flex; height: 30px; border-radius: 6px; overflow: hidden;}
.shares .bar span {display: flex; align-items: center; justify-content: center; color: #fff; font-size: .78rem;}
.shares .legend {font-size: .8rem; color: #475569; margin-left: 6.1rem;}
.shares .legend i {display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; margin: 0 .3rem 0 .8rem;}
</style>
"""


def apply() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)


def kpi_tile(label: str, value: str, delta: str = "", direction: int = 0, status: str = "none",
             target: str = "", spark: str = "") -> str:
    """HTML for one KPI tile; `direction` colours the change (+1 good, -1 bad), `status` the left bar,
    `spark` an optional trend line (see `sparkline`)."""
    css = "up" if direction > 0 else "down" if direction < 0 else ""
    colour = RAG_COLOURS.get(status, RAG_COLOURS["none"])
    parts = [f'<div class="kpi" style="--rag:{colour}">',
             f'<div class="label">{html.escape(label)}</div>',
             f'<div class="value">{html.escape(value)}</div>']
    if delta:
        parts.append(f'<div class="delta {css}">{html.escape(delta)}</div>')
    if target:
        parts.append(f'<div class="target">{html.escape(target)}</div>')
    parts.append(spark)
    parts.append("</div>")
    return "".join(parts)


def sparkline(values: list[float], target: float | None = None, hover: str = "", width: float = 120,
              height: float = 30) -> str:
    """A trend drawn inside a KPI tile as inline SVG (oldest value first), the target as a dashed line.

    Costs the browser next to nothing, unlike a chart per KPI. The scale spans at least a tenth of the
    largest value, so a flat week-to-week series looks flat instead of zig-zagging across the tile.
    """
    known = [(i, v) for i, v in enumerate(values) if v == v]
    if len(known) < 2:
        return ""
    levels = [v for _, v in known] + ([target] if target is not None and target == target else [])
    low, high = min(levels), max(levels)
    span = max(high - low, 0.1 * max(abs(low), abs(high)), 1e-12)
    middle = (low + high) / 2
    step = width / (len(values) - 1)

    def y(v: float) -> float:
        return round(height / 2 - (v - middle) / span * (height - 4), 1)

    points = " ".join(f"{round(i * step, 1)},{y(v)}" for i, v in known)
    parts = [f'<svg class="spark" viewBox="0 0 {width:g} {height:g}" preserveAspectRatio="none" role="img">',
             f"<title>{html.escape(hover)}</title>" if hover else ""]
    if target is not None and target == target:
        parts.append(f'<line x1="0" x2="{width:g}" y1="{y(target)}" y2="{y(target)}" stroke="{RAG_COLOURS["amber"]}" '
                     'stroke-width="1.5" stroke-dasharray="4 3" vector-effect="non-scaling-stroke"/>')
    parts.append(f'<polyline points="{points}" fill="none" stroke="#2563eb" stroke-width="2" '
                 'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>')
    parts.append("</svg>")
    return "".join(parts)


def funnel_html(title: str, steps: list[tuple[str, str, str]], rates: list[str], colours: list[str]) -> str:
    """HTML for a funnel: steps (label, value, note) narrowing down the page, the rate between each pair."""
    parts = [f'<div class="funnel"><div class="chart-title">{html.escape(title)}</div>']
    for index, ((label, value, note), colour) in enumerate(zip(steps, colours)):
        if index:
            parts.append(f'<div class="rate">↓ {html.escape(rates[index - 1])}</div>')
        parts.append(f'<div class="step" style="width:{100 - 14 * index}%;background:{colour}">'
                     f'<div class="label">{html.escape(label)}</div><div class="value">{html.escape(value)}</div>'
                     f'<div class="note">{html.escape(note)}</div></div>')
    parts.append("</div>")
    return "".join(parts)


def shares(title: str, rows: list[tuple[str, list[float]]], names: list[str], colours: list[str]) -> str:
    """HTML for 100 % stacked bars: each row (label, shares in % by name), with a legend of the names."""
    parts = [f'<div class="shares"><div class="chart-title">{html.escape(title)}</div>']
    for label, values in rows:
        segments = "".join(f'<span style="width:{v:.2f}%;background:{c}" title="{html.escape(n)} {v:.1f} %">'
                           f'{f"{v:.0f} %" if v >= 6 else ""}</span>'
                           for n, v, c in zip(names, values, colours) if v == v and v > 0)
        parts.append(f'<div class="row"><div class="name">{html.escape(label)}</div>'
                     f'<div class="bar">{segments}</div></div>')
    legend = "".join(f'<i style="background:{c}"></i>{html.escape(n)}' for n, c in zip(names, colours))
    parts.append(f'<div class="legend">{legend}</div></div>')
    return "".join(parts)


def tiles(rows: list[str], per_row: int = 4) -> None:
    """Lay KPI tiles out in rows of columns."""
    for start in range(0, len(rows), per_row):
        columns = st.columns(per_row)
        for column, tile in zip(columns, rows[start:start + per_row]):
            show_html(tile, column)


def empty_state(title: str, body: str) -> None:
    """What a new user sees instead of a blank page: what is missing and what to do."""
    show_html(f'<div class="empty"><h4>{html.escape(title)}</h4>{html.escape(body)}</div>')


def show_html(markup: str, where=st) -> None:
    """Draw HTML whose text is already escaped. Its line breaks become spaces: a blank line would end the HTML
    block, and markdown after it (an image, a link) would be drawn from data."""
    where.markdown(markup.replace("\r", " ").replace("\n", " "), unsafe_allow_html=True)


# Every character that starts markdown, HTML or LaTeX in Streamlit's text: links and images need "[", raw HTML
# and autolinks "<", LaTeX "$", emphasis, code, tables, headings and strike-through the rest.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>!|~$#&])")


def plain(text: object) -> str:
    """Text from data for anything Streamlit draws as markdown (markdown, captions, alerts, labels), shown as
    written: no image is fetched, no link or HTML is drawn. A word joiner after "://" keeps a web address from
    being turned into a link."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("://", ":\u2060//")


def sentences(lines: list[str]) -> None:
    """Written insights, one per line, as a reader scans them."""
    st.markdown("\n".join(f"- {plain(line)}" for line in lines))
