"""Scorecards as files: CSV (one table), Excel (one sheet per table) and a self-contained HTML
weekly report that opens offline and prints on A4; plus the daily summary for a terminal.

Every file is written all-or-nothing through contract.files, with formula-like text neutralised.
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from contract.files import atomic_path, write_csv, write_excel
from contract.weeks import week_days
from metrics import charts
from metrics.daily import DailyScorecard
from metrics.effects import EFFECT_COLUMNS
from metrics.formulas import METRICS
from metrics.settings import DECIMAL, LABELS, MONEY, PERCENT, ScorecardSettings, label, percent, signed_percent
from metrics.weekly import WeeklyScorecard

TREND_CHARTS = 4  # the first headline KPIs get a trend chart each


def weekly_writer(path: Path, settings: ScorecardSettings) -> Callable[[WeeklyScorecard], None]:
    """The writer for the report's suffix, chosen before any work so a wrong --out fails at once."""
    suffix = Path(path).suffix.lower()
    if suffix == ".html":
        return lambda card: write_weekly_html(card, path, settings)
    if suffix == ".xlsx":
        return lambda card: write_excel(card.tables(), path)
    raise ValueError(f"--out {path}: the weekly report is written as .html or .xlsx, not '{suffix or 'no suffix'}'")


def daily_writer(path: Path) -> Callable[[DailyScorecard], None]:
    """.csv writes the day's KPI table, .xlsx every table of the day on its own sheet."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return lambda card: write_csv(card.kpis, path)
    if suffix == ".xlsx":
        return lambda card: write_excel(card.tables(), path)
    raise ValueError(f"--out {path}: the daily scorecard is written as .csv or .xlsx, not '{suffix or 'no suffix'}'")


# ---------------------------------------------------------------- daily, for a terminal

def daily_text(card: DailyScorecard, settings: ScorecardSettings) -> str:
    """The day's KPIs against the trailing days, then each anomaly's sentence."""
    lines = [f"Daily scorecard {card.date}: {card.message}"]
    if card.empty:
        return "\n".join(lines)
    lines.append(f"{'':22}{'today':>14}{f'{card.trailing_days}-day avg':>14}{'change':>10}")
    for row in card.kpis.itertuples():
        lines.append(f"{row.label:22}{settings.value(row.metric, row.today):>14}"
                     f"{_average(row.metric, row.trailing_avg, settings):>14}"
                     f"{signed_percent(row.change_pct / 100):>10}")
    if card.anomalies.empty:
        lines.append("No anomalies: every stream and host-day was within its usual range.")
    else:
        lines.append(f"{len(card.anomalies)} anomal{'y' if len(card.anomalies) == 1 else 'ies'}:")
        lines += [f"- {sentence}" for sentence in card.anomalies["sentence"]]
    if len(card.against_forecast):
        lines.append("Against the forecast (learnt from the streams before the day):")
        lines += [f"- {row.start:%H:%M} {row.channel}, {row.name or 'no host'}: {settings.money(row.gmv)} "
                  f"{row.note}" for row in card.against_forecast.itertuples()]
    return "\n".join(lines)


def _average(metric: str, value: float, settings: ScorecardSettings) -> str:
    """A per-day average of a count keeps one decimal: 17.7 streams a day, not 18."""
    counted = metric not in MONEY | PERCENT | DECIMAL
    return f"{value:,.1f}" if counted and math.isfinite(value) else settings.value(metric, value)


# ---------------------------------------------------------------- weekly, as HTML

def write_weekly_html(card: WeeklyScorecard, path: Path | str, settings: ScorecardSettings) -> None:
    with atomic_path(path) as temp:
        temp.write_text(weekly_html(card, settings), encoding="utf-8")


def weekly_html(card: WeeklyScorecard, settings: ScorecardSettings) -> str:
    """One self-contained page: header, KPI tiles, insights, charts (plotly.js inline once) and tables."""
    figures = _Figures()
    headline = card.headline()
    studio_rate = scorecard_value(card, "gmv_per_hour")
    trends = "".join(figures.add(charts.kpi_trend(card.trend, row.metric, row.target, settings))
                     for row in headline.head(TREND_CHARTS).itertuples())
    sections = [
        _section("Headline", _tiles(headline, card, settings), first=True),
        _section("What moved this week", _insights(card.insights)),
        _section("Trend", f'<div class="grid">{trends}</div>' + _trend_table(card.trend, settings)),
        _section("Hosts", figures.add(charts.host_ranking(card.hosts, studio_rate, settings))
                 + _sub(f"Best hosts (at least {settings.min_host_hours:g} live hours)")
                 + _table(_host_columns(card.best_hosts), settings)
                 + _sub("Weakest hosts") + _table(_host_columns(card.weakest_hosts), settings)),
        _section("Product tiers", (figures.add(charts.tier_mix(card.tier_mix, card.previous_week, card.week))
                                   if len(card.tier_mix) else "") + _table(card.tier_mix, settings)),
        _section("Channels", _table(card.channels, settings)),
        _section("Slot times", _table(card.slot_times.drop(columns=["hour"]), settings, flag="under_performing")),
    ]
    if card.retention is not None and len(card.retention):
        sections.append(_section("Audience retention", figures.add(charts.retention_curves(card.retention,
                                                                                             "channel"))))
    sections.append(_section("All KPIs", _table(card.kpis.drop(columns=["metric"]), settings, flag="status")))
    title = f"{card.studio_name} · Weekly scorecard {card.week}"
    return PAGE.format(title=html.escape(title), css=CSS, studio=html.escape(card.studio_name),
                       week=html.escape(card.week), span=html.escape(_week_span(card.week)),
                       generated=datetime.now().strftime("%Y-%m-%d %H:%M"), body="\n".join(sections))


HOST_COLUMNS = ["host_id", "name", "tier", "sessions", "live_hours", "gmv", "gmv_per_hour", "conversion_rate",
                "retention_rate", "gmv_change"]


def _host_columns(hosts: pd.DataFrame) -> pd.DataFrame:
    """The host tables' columns, with the effect and its interval after the tier where the card has them."""
    effect = [c for c in EFFECT_COLUMNS if c in hosts.columns]
    return hosts[HOST_COLUMNS[:3] + effect + HOST_COLUMNS[3:]]


def scorecard_value(card: WeeklyScorecard, metric: str) -> float:
    return float(card.kpis.set_index("metric").at[metric, "actual"])


class _Figures:
    """Renders figures as HTML fragments; the first carries plotly.js inline, the rest reuse it."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, figure: go.Figure) -> str:
        fragment = pio.to_html(figure, full_html=False, include_plotlyjs="inline" if self.count == 0 else False,
                               config={"displaylogo": False, "responsive": True})
        self.count += 1
        return f'<div class="chart">{fragment}</div>'


def _week_span(week: str) -> str:
    monday, sunday = week_days(week)
    return f"{monday:%a %d %b} – {sunday:%a %d %b %Y}"


def _section(title: str, content: str, first: bool = False) -> str:
    return f'<section class="{"first" if first else ""}"><h2>{html.escape(title)}</h2>{content}</section>'


def _sub(title: str) -> str:
    return f"<h3>{html.escape(title)}</h3>"


def _tiles(headline: pd.DataFrame, card: WeeklyScorecard, settings: ScorecardSettings) -> str:
    tiles = []
    for row in headline.itertuples():
        status = row.status or "none"
        target = (f'<div class="target">target {settings.value(row.metric, row.target)} · '
                  f'{signed_percent(row.to_target_pct / 100)}</div>' if math.isfinite(row.target) else "")
        arrow = "▲" if row.change > 0 else "▼" if row.change < 0 else "■"
        change = (f'<div class="change">{arrow} {signed_percent(row.change_pct / 100)} vs {card.previous_week}</div>'
                  if math.isfinite(row.change_pct) else "")
        pill = f'<span class="pill {status}">{html.escape(row.status)}</span>' if row.status else ""
        tiles.append(f'<div class="tile {status}"><div class="name">{html.escape(row.label)}{pill}</div>'
                     f'<div class="value">{html.escape(settings.value(row.metric, row.actual))}</div>'
                     f'{target}{change}</div>')
    return f'<div class="tiles">{"".join(tiles)}</div>'


def _insights(sentences: list[str]) -> str:
    if not sentences:
        return '<p class="muted">The data of this week and the week before supports no insight.</p>'
    return "<ul class=\"insights\">" + "".join(f"<li>{html.escape(s)}</li>" for s in sentences) + "</ul>"


def _table(frame: pd.DataFrame, settings: ScorecardSettings, flag: str | None = None) -> str:
    """An HTML table with every cell formatted for reading; `flag` names a column that colours its row."""
    if frame.empty:
        return '<p class="muted">No rows.</p>'
    head = "".join(f"<th>{html.escape(_header(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = "".join(_cell(c, record[c], settings) for c in frame.columns)
        mark = record.get(flag) if flag else None
        css = f' class="row-{mark}"' if isinstance(mark, str) and mark else ' class="row-red"' if mark is True else ""
        rows.append(f"<tr{css}>{cells}</tr>")
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _trend_table(trend: pd.DataFrame, settings: ScorecardSettings) -> str:
    """KPIs as rows and weeks as columns: eight weeks fit an A4 page, sixteen KPIs would not."""
    head = "<th></th>" + "".join(f"<th>{html.escape(w)}</th>" for w in trend["week"])
    rows = "".join(
        f"<tr><td>{html.escape(label(m))}</td>"
        + "".join(f'<td class="num">{html.escape(settings.value(m, v))}</td>' for v in trend[m]) + "</tr>"
        for m in METRICS)
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _header(column: str) -> str:
    if column in LABELS:
        return label(column)
    text = column.replace("_pct", " %").replace("_pts", " pts").replace("_prev", " prev").replace("_", " ")
    text = text.replace("gmv", "GMV")
    return text[:1].upper() + text[1:]


def _cell(column: str, value: object, settings: ScorecardSettings) -> str:
    text = format_cell(column, value, settings)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    return f'<td class="num">{html.escape(text)}</td>' if numeric else f"<td>{html.escape(text)}</td>"


def format_cell(column: str, value: object, settings: ScorecardSettings) -> str:
    """A table cell as text, from its column's name: money, percent, change, hours or count."""
    if isinstance(value, bool):
        return "yes" if value else ""
    if not isinstance(value, (int, float)):
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if not math.isfinite(value):
        return ""
    if column.endswith("change_pct") or column == "to_target_pct":
        return signed_percent(value / 100)
    if column.endswith("_pct") or column.endswith("_pct_prev"):
        return f"{value:.1f} %"
    if column in EFFECT_COLUMNS:
        return f"{value:.2f}×"
    if column.endswith("_pts"):
        return f"{value:+.1f} pts"
    if column == "gmv_change":
        return settings.signed_money(value)
    if column in MONEY or column.startswith("gmv"):
        return settings.money(value)
    if column in PERCENT:
        return percent(value)
    if column in DECIMAL:
        return f"{value:,.1f}"
    if column == "hour":
        return f"{int(value):02d}"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.2f}"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{css}</style></head>
<body><header><div class="brand">{studio}</div><h1>Weekly scorecard <span>{week}</span></h1>
<div class="muted">{span} · generated {generated}</div></header>
<main>{body}</main></body></html>
"""

CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --green:#16a34a; --amber:#f59e0b; --red:#dc2626;
        --accent:#2563eb; --bg:#f8fafc; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:14px/1.5 Inter, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header { background:#0f172a; color:white; padding:28px 40px 22px; }
header .brand { text-transform:uppercase; letter-spacing:.12em; font-size:12px; color:#93c5fd; }
header h1 { margin:4px 0 2px; font-size:28px; font-weight:650; }
header h1 span { color:#cbd5e1; font-weight:500; }
header .muted { color:#94a3b8; }
main { max-width:1180px; margin:0 auto; padding:8px 40px 40px; }
section { background:white; border:1px solid var(--line); border-radius:12px; padding:20px 24px; margin:20px 0; }
h2 { font-size:18px; margin:0 0 12px; }
h3 { font-size:14px; margin:18px 0 8px; color:var(--muted); text-transform:uppercase; letter-spacing:.06em; }
.muted { color:var(--muted); }
.tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(200px, 1fr)); gap:14px; }
.tile { border:1px solid var(--line); border-left:6px solid #94a3b8; border-radius:10px; padding:12px 14px; }
.tile.green { border-left-color:var(--green); } .tile.amber { border-left-color:var(--amber); }
.tile.red { border-left-color:var(--red); }
.tile .name { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.05em;
              display:flex; justify-content:space-between; align-items:center; }
.tile .value { font-size:26px; font-weight:650; margin:4px 0; font-variant-numeric:tabular-nums; }
.tile .target, .tile .change { font-size:12px; color:var(--muted); }
.pill { font-size:11px; padding:1px 8px; border-radius:999px; color:white; text-transform:uppercase; }
.pill.green { background:var(--green); } .pill.amber { background:var(--amber); } .pill.red { background:var(--red); }
ul.insights { margin:0; padding-left:20px; } ul.insights li { margin:6px 0; }
.grid { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:12px; }
@media (max-width: 900px) { .grid { grid-template-columns:minmax(0, 1fr); } }
.chart { margin:8px 0; min-width:0; }
.table-wrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:12.5px; margin:6px 0 4px; }
th { text-align:left; font-weight:600; color:var(--muted); border-bottom:2px solid var(--line); padding:6px 8px;
     white-space:nowrap; }
td { border-bottom:1px solid var(--line); padding:5px 8px; white-space:nowrap; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
tr.row-red td { background:#fef2f2; } tr.row-amber td { background:#fffbeb; } tr.row-green td { background:#f0fdf4; }
@page { size:A4; margin:12mm; }
@media print {
  body { background:white; font-size:11px; }
  header { padding:12px 0; background:white; color:var(--ink); border-bottom:2px solid var(--ink); }
  header .brand { color:var(--accent); } header h1 span, header .muted { color:var(--muted); }
  main { padding:0; max-width:none; }
  section { border:none; padding:0; margin:0; break-before:page; page-break-before:always; }
  section.first { break-before:auto; page-break-before:auto; }
  .tile, tr, .chart { break-inside:avoid; page-break-inside:avoid; }
  .table-wrap { overflow:visible; }
  table { font-size:8.5px; } th, td { padding:3px 4px; white-space:normal; }
  * { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
}
"""
