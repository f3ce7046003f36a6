"""Each person's planned hours against their promised minimum and weekly cap, drawn as HTML bars.

A row per person: the bar is the hours planned, a thin amber mark the minimum and a red one the cap, all on one
scale (the largest of them), so a person short of their minimum or near their cap stands out at a glance.
HTML costs the browser next to nothing beside a chart library, and every name is escaped here.
"""
from __future__ import annotations

import html

import pandas as pd

from contract.people import person_label

BAR, SHORT, MINIMUM, CAP = "#2563eb", "#d97706", "#d97706", "#dc2626"


def hours_rows(hours: pd.DataFrame) -> list[dict]:
    """Per person (host_id, name, hours, min, max), fewest hours first: the label, the hours as text, and where
    the bar ends and the marks sit in percent of the scale; short of the minimum colours the bar amber."""
    frame = hours.sort_values(["hours", "host_id"], ascending=[True, True])
    scale = max(float(frame[["hours", "min", "max"]].max().max()), 1.0) if len(frame) else 1.0
    return [{"label": person_label(row.host_id, row.name),
             "text": f"{row.hours:g} h (min {row.min:g}, cap {row.max:g})",
             "bar": round(row.hours / scale * 100, 2), "min": round(row.min / scale * 100, 2),
             "max": round(row.max / scale * 100, 2), "short": row.hours < row.min}
            for row in frame.itertuples(index=False)]


def hours_html(hours: pd.DataFrame) -> str:
    """The rows of `hours_rows` as one line of HTML, with their legend."""
    rows = "".join(
        f'<div class="hc-row" title="{html.escape(row["label"] + ": " + row["text"], quote=True)}">'
        f'<div class="hc-name">{html.escape(row["label"])}</div><div class="hc-track">'
        f'<span class="hc-bar" style="width:{row["bar"]:g}%;background:{SHORT if row["short"] else BAR}"></span>'
        f'<span class="hc-mark" style="left:{row["min"]:g}%;background:{MINIMUM}"></span>'
        f'<span class="hc-mark" style="left:{row["max"]:g}%;background:{CAP}"></span></div>'
        f'<div class="hc-text">{html.escape(row["text"])}</div></div>'
        for row in hours_rows(hours))
    legend = (f'<div class="hc-legend"><i style="background:{BAR}"></i>hours planned'
              f'<i style="background:{SHORT}"></i>short of the minimum<b style="background:{MINIMUM}"></b>'
              f'promised minimum<b style="background:{CAP}"></b>weekly cap</div>')
    return _CSS.replace("\n", " ") + f'<div class="hc">{rows}{legend}</div>'


_CSS = """<style>
.hc {font-size: 12px; color: #0f172a;}
.hc-row {display: grid; grid-template-columns: 14rem 1fr 12rem; gap: .6rem; align-items: center; height: 20px;}
.hc-name {white-space: nowrap; overflow: hidden; text-overflow: ellipsis; text-align: right; color: #334155;}
.hc-track {position: relative; height: 12px; background: #f1f5f9; border-radius: 3px;}
.hc-bar {position: absolute; left: 0; top: 0; bottom: 0; border-radius: 3px;}
.hc-mark {position: absolute; top: -3px; bottom: -3px; width: 3px; margin-left: -1px;}
.hc-text {color: #475569; font-size: 11px; white-space: nowrap;}
.hc-legend {margin: .5rem 0 0 14.6rem; color: #475569; font-size: 11px;}
.hc-legend i, .hc-legend b {display: inline-block; width: .7rem; height: .7rem; margin: 0 .3rem 0 .9rem;
                            vertical-align: -1px; border-radius: 2px;}
.hc-legend b {width: 3px;}
</style>"""
