"""The daily scorecard the live ops associate reads each morning: yesterday against the week before.

Sums (GMV, hours, orders) are compared with their per-day average over the trailing days;
rates with the rate of the trailing days' sums, never an average of daily rates.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from contract.when import parse_iso_date
from forecast import Forecast
from metrics.anomalies import find_anomalies
from metrics.effects import AGAINST_FORECAST_COLUMNS, against_forecast
from metrics.formulas import METRICS, SUMS
from metrics.groups import scorecard, with_keys
from metrics.load import Results
from metrics.settings import HEADLINE, ScorecardSettings, host_names, label
from metrics.velocity import sku_velocity

TOP_SKUS = 10


def parse_day(text: str) -> str:
    """'2026-11-23' checked to be a real calendar day; anything else is a ValueError that says so."""
    return parse_iso_date(text, "date").isoformat()


def restrict(results: Results, mask: pd.Series) -> Results:
    """The results of the sessions where `mask` holds, with their SKU and viewer-minute rows."""
    sessions = results.sessions.loc[mask.to_numpy()].reset_index(drop=True)
    ids = sessions["session_id"]
    minutes = results.viewer_minutes
    assert results.sku_sales is not None, "a day's results carry their SKU sales"
    return Results(
        sessions=sessions,
        sku_sales=results.sku_sales.loc[results.sku_sales["session_id"].isin(ids)].reset_index(drop=True),
        viewer_minutes=None if minutes is None else minutes.loc[minutes["session_id"].isin(ids)],
        targets=results.targets,
        inventory=results.inventory,
    )


@dataclass(frozen=True)
class DailyScorecard:
    """One studio day: KPIs, channel and host tables against the trailing days, funnel, top SKUs, anomalies."""

    date: str
    sessions: int
    trailing_days: int  # days of the comparison window the results cover
    kpis: pd.DataFrame  # metric, label, today, trailing_avg, change_pct
    channels: pd.DataFrame
    hosts: pd.DataFrame
    funnel: pd.DataFrame  # stage, count, trailing_avg, rate_from_previous
    top_skus: pd.DataFrame
    anomalies: pd.DataFrame
    message: str = field(default="")
    against_forecast: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=AGAINST_FORECAST_COLUMNS))

    @property
    def empty(self) -> bool:
        return self.sessions == 0

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, by sheet name, for an Excel export."""
        return {"KPIs": self.kpis, "Channels": self.channels, "Hosts": self.hosts, "Funnel": self.funnel,
                "Top SKUs": self.top_skus, "Anomalies": self.anomalies, "Against forecast": self.against_forecast}


def daily_scorecard(results: Results, date: str, settings: ScorecardSettings = ScorecardSettings(),
                    hosts: pd.DataFrame | None = None, model: Forecast | None = None,
                    slots: pd.DataFrame | None = None) -> DailyScorecard:
    """The scorecard of `date`; a day without streams gives a scorecard that says so. With `model` (the
    forecast learnt before the day, `forecast_before`) each stream is set against what it expected."""
    date = parse_day(date)
    keyed = with_keys(results.sessions, results.sku_sales)
    today = restrict(results, keyed["date"] == date)
    first = (pd.Timestamp(date) - pd.Timedelta(days=settings.trailing_days)).strftime("%Y-%m-%d")
    first = max(first, keyed["date"].min()) if len(keyed) else first
    trailing = restrict(results, (keyed["date"] >= first) & (keyed["date"] < date))
    days = max((pd.Timestamp(date) - pd.Timestamp(first)).days, 0)
    if today.sessions.empty:
        return _empty_day(date, days, trailing)
    studio = compare(today, trailing, days, [])
    kpis = pd.DataFrame({
        "metric": list(METRICS), "label": [label(m) for m in METRICS],
        "today": [studio.at[0, m] for m in METRICS],
        "trailing_avg": [studio.at[0, f"{m}_trailing"] for m in METRICS],
        "change_pct": [studio.at[0, f"{m}_change_pct"] for m in METRICS],
    })
    by_host = compare(today, trailing, days, ["host_id"])
    names = host_names(hosts)
    by_host.insert(1, "name", by_host["host_id"].map(lambda host: names.get(host, "")).astype("str"))
    return DailyScorecard(
        date=date, sessions=len(today.sessions), trailing_days=days, kpis=kpis,
        channels=compare(today, trailing, days, ["channel"]), hosts=by_host,
        funnel=funnel_stages(kpis), top_skus=top_skus(today),
        anomalies=find_anomalies(results, date, settings, hosts),
        message=f"{len(today.sessions)} stream(s) on {date}, compared with the {days} day(s) before.",
        against_forecast=against_forecast(today.sessions, model, slots, names) if model is not None
        else pd.DataFrame(columns=AGAINST_FORECAST_COLUMNS),
    )


def compare(today: Results, trailing: Results, days: int, keys: list[str]) -> pd.DataFrame:
    """Per group of `keys`: each headline metric today, its trailing per-day value and the change in %.

    With no keys this gives every metric, for the studio total.
    """
    metrics = list(METRICS) if not keys else list(HEADLINE)
    now = scorecard(today.sessions, today.sku_sales, keys)
    before = scorecard(trailing.sessions, trailing.sku_sales, keys)
    per_day = before.copy()
    sums = [m for m in SUMS if m in metrics]
    per_day[sums] = before[sums].astype("float64") / days if days else float("nan")
    joined = now[keys + metrics].merge(per_day[keys + metrics], how="left", on=keys, suffixes=("", "_trailing")) \
        if keys else pd.concat([now[metrics], per_day[metrics].add_suffix("_trailing")], axis=1)
    columns = {}
    for metric in metrics:
        base = joined[f"{metric}_trailing"].astype("float64")
        columns[f"{metric}_change_pct"] = (joined[metric] - base) / base.where(base != 0) * 100
    out = pd.concat([joined, pd.DataFrame(columns, index=joined.index)], axis=1)
    ordered = keys + [c for m in metrics for c in (m, f"{m}_trailing", f"{m}_change_pct")]
    return out[ordered]


def funnel_stages(kpis: pd.DataFrame) -> pd.DataFrame:
    """Impressions -> clicks -> orders, with the contract's rate between each stage."""
    row = kpis.set_index("metric")
    stages = [("Product impressions", "product_impressions", None), ("Product clicks", "product_clicks", "ctr"),
              ("Orders", "orders", "click_to_order_rate")]
    return pd.DataFrame({
        "stage": [name for name, _, _ in stages],
        "count": [row.at[m, "today"] for _, m, _ in stages],
        "trailing_avg": [row.at[m, "trailing_avg"] for _, m, _ in stages],
        "rate_from_previous": [row.at[r, "today"] if r else float("nan") for _, _, r in stages],
    })


def top_skus(today: Results, n: int = TOP_SKUS) -> pd.DataFrame:
    """The day's fastest sellers by units per live hour (SKU velocity), with name and tier."""
    assert today.sku_sales is not None, "the top SKUs need the SKU sales"
    if today.sku_sales.empty:
        return pd.DataFrame(columns=["sku", "product_name", "product_tier", "sessions", "live_hours",
                                     "units_net", "gmv", "units_per_hour"])
    velocity = sku_velocity(today.sessions, today.sku_sales, by=["date"])
    info = today.sku_sales.drop_duplicates("sku").set_index("sku")
    velocity.insert(2, "product_name", velocity["sku"].map(info["product_name"]).fillna(""))
    velocity.insert(3, "product_tier", velocity["sku"].map(info["product_tier"]).fillna(""))
    ranked = velocity.sort_values(["units_per_hour", "gmv"], ascending=False, kind="stable").head(n)
    return ranked.drop(columns=["date", "fast_mover", "stalled"]).reset_index(drop=True)


def _empty_day(date: str, days: int, trailing: Results) -> DailyScorecard:
    """A day without streams: the tables are empty and the message says how the trailing days went."""
    nothing = pd.DataFrame()
    before = f"; the {days} day(s) before had {len(trailing.sessions)} stream(s)" if days else ""
    return DailyScorecard(date=date, sessions=0, trailing_days=days, kpis=nothing, channels=nothing,
                          hosts=nothing, funnel=nothing, top_skus=nothing, anomalies=nothing,
                          message=f"No streams on {date}{before}.")
