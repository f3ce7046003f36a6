"""Plotly figures for the planning pages (the scorecard charts live in metrics.charts)."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

TIER_COLOURS = {"hero": "#7c3aed", "core": "#2563eb", "longtail": "#94a3b8", "unstaffed": "#f87171"}


def calendar(slots: pd.DataFrame, assignments: pd.DataFrame, names: dict[str, str], rows: str) -> go.Figure:
    """A week timeline, one row per channel or per host, coloured by product tier; dark slots in red.

    The hover names the slot's assistants when `assignments` has an assistant_ids column ("|"-joined).
    """
    frame = slots.merge(assignments[[c for c in ("slot_id", "host_id", "assistant_ids") if c in assignments]],
                        on="slot_id", how="left")
    frame["host_id"] = frame["host_id"].astype("object").where(frame["host_id"].notna(), "").astype("str")
    frame["host"] = frame["host_id"].map(lambda h: f"{names.get(h, h)} ({h})" if h else "unstaffed")
    ids = frame["assistant_ids"].fillna("").astype("str") if "assistant_ids" in frame else pd.Series("", index=frame.index)
    frame["assistants"] = ids.map(lambda joined: ", ".join(names.get(i, i) for i in joined.split("|") if i) or "none")
    frame["colour"] = frame["product_tier"].where(frame["host_id"] != "", "unstaffed")
    frame["row"] = frame["channel"] if rows == "channel" else frame["host"]
    frame["label"] = frame["host_id"].where(frame["host_id"] != "", "—") if rows == "channel" else frame["channel"]
    figure = px.timeline(
        frame, x_start="start", x_end="end", y="row", color="colour", text="label",
        color_discrete_map=TIER_COLOURS, category_orders={"colour": list(TIER_COLOURS)},
        hover_data={"slot_id": True, "host": True, "assistants": True, "product_tier": True, "category": True,
                    "language": True, "expected_gmv": ":$,.0f", "row": False, "colour": False, "label": False})
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(title=None, dtick=24 * 3600 * 1000, tickformat="%a %d %b", ticklabelmode="period", showgrid=True)
    figure.update_traces(textposition="inside", insidetextanchor="middle", textfont_size=10)
    height = 160 + 36 * frame["row"].nunique()
    figure.update_layout(height=max(height, 320), margin=dict(l=10, r=10, t=30, b=10), legend_title_text="",
                         legend=dict(orientation="h", y=1.08, x=0), plot_bgcolor="#fff")
    return figure


def hours_against_caps(hours: pd.DataFrame) -> go.Figure:
    """Scheduled hours per person as bars, with the promised minimum and the weekly cap as markers."""
    frame = hours.sort_values(["hours", "host_id"], ascending=[True, True])
    labels = frame["name"] + " (" + frame["host_id"] + ")"
    figure = go.Figure()
    figure.add_bar(y=labels, x=frame["hours"], orientation="h", name="scheduled", marker_color="#2563eb")
    figure.add_scatter(y=labels, x=frame["min"], mode="markers", name="promised minimum",
                       marker=dict(symbol="line-ns-open", size=14, color="#d97706", line_width=3))
    figure.add_scatter(y=labels, x=frame["max"], mode="markers", name="weekly cap",
                       marker=dict(symbol="line-ns-open", size=14, color="#dc2626", line_width=3))
    figure.update_layout(height=120 + 22 * len(frame), margin=dict(l=10, r=10, t=30, b=10), xaxis_title="hours",
                         legend=dict(orientation="h", y=1.04, x=0), plot_bgcolor="#fff", bargap=0.3)
    return figure
