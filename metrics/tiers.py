"""Host tier review: the loop from results back into the plan.

A host is judged on their effect (what they sell per live hour against an average host in comparable slots,
learnt from every result up to the review's last week) against the average effect of their own tier. A host
moves at most one tier, C -> B -> A, and only when the 80 % interval of the effect clears the tier's average,
so one lucky or unlucky month moves nobody; a promotion also needs conversion at the tier's median or above
over the weeks reviewed. The scheduler then staffs hero and core slots from the reviewed tiers.
"""
from __future__ import annotations

import pandas as pd

from contract.weeks import weeks_ending
from metrics.daily import restrict
from metrics.effects import effect_text, forecast_until, host_effect_columns
from metrics.groups import scorecard, with_keys
from metrics.load import Results
from metrics.settings import ScorecardSettings, percent
from metrics.weekly import parse_week

UP = {"C": "B", "B": "A"}
DOWN = {"A": "B", "B": "C"}
COLUMNS = ["host_id", "name", "current_tier", "proposed_tier", "change", "effect", "effect_low", "effect_high",
           "tier_effect", "live_hours", "gmv_per_hour", "conversion_rate", "tier_conversion_median", "reason"]


def tier_review(results: Results, hosts: pd.DataFrame, weeks: int = 4, end_week: str | None = None,
                settings: ScorecardSettings = ScorecardSettings(), slots: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per host of hosts.csv (assistants excepted): current and proposed tier, and why."""
    keyed = with_keys(results.sessions, results.sku_sales)
    if end_week is None:
        if keyed.empty:
            raise ValueError("sessions.csv has no streams to review tiers on")
        end_week = keyed["week"].max()
    window = weeks_ending(parse_week(end_week), weeks)
    period = restrict(results, keyed["week"].isin(window))
    card = scorecard(period.sessions, period.sku_sales, ["host_id"])
    roster = hosts[hosts["role"] == "host"] if "role" in hosts.columns else hosts
    model = forecast_until(results, roster, window[-1], slots)
    assert model is not None
    table = (roster[["host_id", "name", "tier"]].rename(columns={"tier": "current_tier"})
             .merge(card[["host_id", "live_hours", "gmv_per_hour", "conversion_rate"]], how="left", on="host_id")
             .merge(host_effect_columns(model), how="left", on="host_id"))
    table["live_hours"] = table["live_hours"].fillna(0.0)
    table["tier_effect"] = table["current_tier"].map(model.tier_average).astype("float64")
    judged = table[table["live_hours"] >= settings.tier_min_hours].groupby("current_tier")
    table["tier_conversion_median"] = table["current_tier"].map(judged["conversion_rate"].median())
    span = window[0] if weeks == 1 else f"{window[0]} to {window[-1]}"
    decisions = [_decide(row, span, settings) for row in table.itertuples(index=False)]
    table["proposed_tier"] = [tier for tier, _, _ in decisions]
    table["change"] = [change for _, change, _ in decisions]
    table["reason"] = [reason for _, _, reason in decisions]
    return table[COLUMNS].astype({"proposed_tier": "str", "change": "str", "reason": "str"})


def _decide(host, span: str, settings: ScorecardSettings) -> tuple[str, str, str]:
    """(proposed tier, promote/demote/keep, the reason in numbers) for one host."""
    tier = host.current_tier
    if host.live_hours < settings.tier_min_hours:
        return tier, "keep", (f"{host.live_hours:.1f} live hours in {span}, fewer than the "
                              f"{settings.tier_min_hours:g} a review needs.")
    if pd.isna(host.effect):
        return tier, "keep", f"no effect learnt for this host from the results up to {span.split()[-1]}."
    ratio = host.effect / host.tier_effect
    versus = (f"sells {effect_text(host.effect, host.effect_low, host.effect_high)}, {ratio:.2f}× the tier "
              f"{tier} average of {host.tier_effect:.2f}×, over {host.live_hours:.1f} live hours in {span}")
    if ratio >= settings.promote_ratio:
        if host.effect_low <= host.tier_effect:
            return tier, "keep", f"{versus}, but its 80 % interval still reaches the tier average."
        if host.conversion_rate < host.tier_conversion_median:
            return tier, "keep", (f"{versus}, but conversion {percent(host.conversion_rate)} is below the "
                                  f"tier median {percent(host.tier_conversion_median)}.")
        if tier not in UP:
            return tier, "keep", f"{versus}; already in the top tier {tier}."
        return UP[tier], "promote", (f"{versus}, with conversion {percent(host.conversion_rate)} at or above "
                                     f"the tier median {percent(host.tier_conversion_median)}.")
    if ratio <= settings.demote_ratio:
        if host.effect_high >= host.tier_effect:
            return tier, "keep", f"{versus}, but its 80 % interval still reaches the tier average."
        if tier not in DOWN:
            return tier, "keep", f"{versus}; already in the entry tier {tier}."
        return DOWN[tier], "demote", f"{versus}."
    return tier, "keep", (f"{versus}, inside the keep band {settings.demote_ratio:g}× to "
                          f"{settings.promote_ratio:g}×.")


def apply_tier_review(hosts: pd.DataFrame, review: pd.DataFrame) -> pd.DataFrame:
    """`hosts` (typed or as read, text cells) with each reviewed host's proposed tier; other columns untouched."""
    proposed = dict(zip(review["host_id"], review["proposed_tier"]))
    ids = hosts["host_id"].astype("str").str.strip()
    return hosts.assign(tier=ids.map(proposed).fillna(hosts["tier"]).astype("str"))
