"""The weekly leadership scorecard: KPIs against targets (red/amber/green), the week before, an
8-week trend, host ranking, product-tier mix, channels and slot times, with written insights.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from contract.weeks import week_monday, weeks_ending
from metrics.daily import restrict
from metrics.effects import EFFECT_COLUMNS, forecast_until, host_effect_columns
from metrics.formulas import METRICS, ratio
from metrics.groups import scorecard, with_keys
from metrics.insights import weekly_insights
from metrics.load import Results
from metrics.retention import average_curves
from metrics.settings import HEADLINE, ScorecardSettings, host_names, label

TIER_ORDER = ("hero", "core", "longtail")
DIMENSION_COLUMNS = ["sessions", "live_hours", "gmv", "gmv_per_hour", "conversion_rate", "retention_rate"]


def parse_week(text: str) -> str:
    """'2026-W48' checked to be a real ISO week; anything else is a ValueError that says so."""
    week_monday(text)
    return text


def rag_status(actual: float, target: float, lower_is_better: bool, amber_band: float) -> str:
    """green at or beyond target, amber within `amber_band` of it, red further off; '' without numbers."""
    if not (math.isfinite(actual) and math.isfinite(target)):
        return ""
    if lower_is_better:
        return "green" if actual <= target else "amber" if actual <= target * (1 + amber_band) else "red"
    return "green" if actual >= target else "amber" if actual >= target * (1 - amber_band) else "red"


@dataclass(frozen=True)
class WeeklyScorecard:
    """Everything the weekly report shows; `tables()` is what the Excel export writes."""

    week: str
    previous_week: str
    studio_name: str
    kpis: pd.DataFrame  # metric, label, actual, previous, change, change_pct, target, to_target_pct, status
    trend: pd.DataFrame  # week x every metric, oldest first
    hosts: pd.DataFrame  # every host of the two weeks, `ranked` where they have enough live hours
    best_hosts: pd.DataFrame
    weakest_hosts: pd.DataFrame
    tier_mix: pd.DataFrame
    channels: pd.DataFrame
    slot_times: pd.DataFrame
    insights: list[str]
    targets: pd.DataFrame | None
    retention: pd.DataFrame | None  # mean retention curve per channel, when viewer_minutes.csv exists

    def headline(self) -> pd.DataFrame:
        """The KPI tiles: the metrics with a target (else the default headline), GMV and hours first."""
        with_target = self.kpis[self.kpis["target"].notna()]
        tiles = with_target if len(with_target) else self.kpis[self.kpis["metric"].isin(HEADLINE)]
        rank = {metric: i for i, metric in enumerate(HEADLINE)}
        return tiles.sort_values("metric", key=lambda m: m.map(rank).fillna(len(rank)), kind="stable")

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"KPIs": self.kpis, "Trend": self.trend, "Best hosts": self.best_hosts,
                "Weakest hosts": self.weakest_hosts, "Hosts": self.hosts, "Product tiers": self.tier_mix,
                "Channels": self.channels, "Slot times": self.slot_times,
                "Insights": pd.DataFrame({"insight": self.insights}, dtype="str")}


def weekly_scorecard(results: Results, week: str = "2026-W48", settings: ScorecardSettings = ScorecardSettings(),
                     hosts: pd.DataFrame | None = None, slots: pd.DataFrame | None = None) -> WeeklyScorecard:
    """The scorecard of `week`; a week without streams is a ValueError naming the weeks that have some.

    With the roster (`hosts`), hosts are ranked on their effect learnt from the results up to the week's end;
    `slots` (planned and past) tell each stream's product tier and category where sessions.csv does not."""
    weeks = weeks_ending(week, settings.trend_weeks)
    keyed = with_keys(results.sessions, results.sku_sales)
    this = restrict(results, keyed["week"] == weeks[-1])
    if this.sessions.empty:
        covered = f"{keyed['week'].min()} to {keyed['week'].max()}" if len(keyed) else "no weeks"
        raise ValueError(f"no streams in {weeks[-1]}; the results cover {covered}")
    before = restrict(results, keyed["week"] == weeks[-2])
    trend_results = restrict(results, keyed["week"].isin(weeks))
    trend = scorecard(trend_results.sessions, trend_results.sku_sales, ["week"])
    targets = results.targets
    kpis = kpi_table(trend, weeks[-1], weeks[-2], targets, settings)
    effects = forecast_until(results, hosts, weeks[-1], slots)
    host_table = host_ranking(this, before, hosts, settings,
                              None if effects is None else host_effect_columns(effects))
    best, weakest = best_and_weakest(host_table, settings.ranked_hosts)
    channels = with_previous(this, before, ["channel"])
    slot_times = slot_time_table(this, before, settings)
    tier_mix = product_tier_mix(this, before)
    names = host_names(hosts)
    return WeeklyScorecard(
        week=weeks[-1], previous_week=weeks[-2], studio_name=settings.studio_name, kpis=kpis, trend=trend,
        hosts=host_table, best_hosts=best, weakest_hosts=weakest, tier_mix=tier_mix, channels=channels,
        slot_times=slot_times, targets=targets, retention=_retention(this),
        insights=weekly_insights(kpis, channels, host_table, slot_times, tier_mix, settings, names),
    )


def _retention(this: Results) -> pd.DataFrame | None:
    minutes = this.viewer_minutes
    if minutes is None or minutes.empty:
        return None
    return average_curves(minutes, this.sessions, "channel")


def kpi_table(trend: pd.DataFrame, week: str, previous: str, targets: pd.DataFrame | None,
              settings: ScorecardSettings) -> pd.DataFrame:
    """Each metric this week, the week before, the change, and where a target exists its % to target and RAG."""
    by_week = trend.set_index("week")
    nan = float("nan")
    goal = {} if targets is None else dict(zip(targets["metric"], targets["target"].astype("float64")))
    rows = []
    for metric in METRICS:
        actual = float(by_week.at[week, metric]) if week in by_week.index else nan
        before = float(by_week.at[previous, metric]) if previous in by_week.index else nan
        target = goal.get(metric, nan)
        rows.append({
            "metric": metric, "label": label(metric), "actual": actual, "previous": before,
            "change": actual - before, "change_pct": _pct(actual - before, before),
            "target": target, "to_target_pct": _pct(actual - target, target),
            "status": rag_status(actual, target, metric in settings.lower_is_better, settings.amber_band),
        })
    return pd.DataFrame(rows).astype({"metric": "str", "label": "str", "status": "str"})


def _pct(change: float, base: float) -> float:
    return change / base * 100 if math.isfinite(base) and base != 0 else float("nan")


def with_previous(this: Results, before: Results, keys: list[str]) -> pd.DataFrame:
    """Per group: this week's main metrics and its GMV change on the week before (groups of either week)."""
    now = scorecard(this.sessions, this.sku_sales, keys)[keys + DIMENSION_COLUMNS]
    then = scorecard(before.sessions, before.sku_sales, keys)[keys + ["gmv"]].rename(columns={"gmv": "gmv_prev"})
    out = now.merge(then, how="outer", on=keys)
    out["gmv"] = out["gmv"].fillna(0.0)
    out["gmv_prev"] = out["gmv_prev"].fillna(0.0)
    out["gmv_change"] = out["gmv"] - out["gmv_prev"]
    out["gmv_change_pct"] = out["gmv_change"] / out["gmv_prev"].where(out["gmv_prev"] != 0) * 100
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def host_ranking(this: Results, before: Results, hosts: pd.DataFrame | None, settings: ScorecardSettings,
                 effects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hosts of the two weeks (unattributed streams as host ''); `ranked`: a host with the minimum live hours
    (and, where `effects` are given, an effect: guests have none)."""
    table = with_previous(this, before, ["host_id"])
    tiers = {} if hosts is None else dict(zip(hosts["host_id"], hosts["tier"]))
    names = {**host_names(hosts), "": "(no host attributed)"}
    table.insert(1, "name", table["host_id"].map(lambda host: names.get(host, "")).astype("str"))
    table.insert(2, "tier", table["host_id"].map(lambda host: tiers.get(host, "")).astype("str"))
    table["ranked"] = (table["live_hours"].fillna(0) >= settings.min_host_hours) & (table["host_id"] != "")
    if effects is not None:
        table = table.merge(effects, how="left", on="host_id")
        table["ranked"] &= table["effect"].notna()
    return table


def best_and_weakest(host_table: pd.DataFrame, count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranked hosts with the highest and lowest effect (GMV per live hour without effects); no host is in
    both lists."""
    key = "effect" if EFFECT_COLUMNS[0] in host_table.columns else "gmv_per_hour"
    ranked = host_table[host_table["ranked"]].sort_values(key, ascending=False, kind="stable")
    best = ranked.head(min(count, math.ceil(len(ranked) / 2)))
    weakest = ranked.iloc[len(best):].tail(count).iloc[::-1]
    return best.reset_index(drop=True), weakest.reset_index(drop=True)


def slot_time_table(this: Results, before: Results, settings: ScorecardSettings) -> pd.DataFrame:
    """Per start hour: GMV per hour against the studio's, flagged where it under-performs on enough hours."""
    table = with_previous(this, before, ["hour"])
    studio = scorecard(this.sessions, this.sku_sales, []).at[0, "gmv_per_hour"]
    table.insert(1, "slot_time", table["hour"].map(lambda h: f"{h:02d}:00").astype("str"))
    table["vs_studio_pct"] = table["gmv_per_hour"] / studio * 100 if studio else float("nan")
    table["under_performing"] = ((table["live_hours"].fillna(0) >= settings.min_slot_hours)
                                 & (table["vs_studio_pct"] < settings.slot_underperform_ratio * 100))
    return table


def product_tier_mix(this: Results, before: Results) -> pd.DataFrame:
    """Share of GMV and net units by the SKUs' product tier, this week and the week before."""
    def sums(period: Results) -> pd.DataFrame:
        by_sku = scorecard(period.sessions, period.sku_sales, ["product_tier", "sku"])
        return by_sku.groupby("product_tier")[["gmv", "units_net"]].sum()

    mix = sums(this).join(sums(before).add_suffix("_prev"), how="outer").fillna(0)
    for column in ("gmv", "gmv_prev", "units_net", "units_net_prev"):
        share = column.replace("_net", "").replace("_prev", "") + "_share_pct" + ("_prev" if "prev" in column else "")
        mix[share] = ratio(mix[column], pd.Series(mix[column].sum(), index=mix.index), 100.0)
    mix = mix.reindex([t for t in TIER_ORDER if t in mix.index] + [t for t in mix.index if t not in TIER_ORDER])
    mix["gmv_share_change_pts"] = mix["gmv_share_pct"] - mix["gmv_share_pct_prev"]
    mix["gmv_change"] = mix["gmv"] - mix["gmv_prev"]
    columns = ["gmv", "gmv_share_pct", "gmv_prev", "gmv_share_pct_prev", "gmv_share_change_pts", "gmv_change",
               "units_net", "units_share_pct", "units_net_prev", "units_share_pct_prev"]
    return mix[columns].rename_axis("product_tier").reset_index().astype({"product_tier": "str"})
