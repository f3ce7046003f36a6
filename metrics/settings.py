"""The judgement calls of the scorecard reports (bands, thresholds, windows) and how numbers read.

One frozen object so the daily and weekly scorecards, the tier review and the dashboard all apply
the same rules, and a studio changes a rule in one place.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from contract.people import person_label

LABELS = {
    "effect": "Effect", "effect_low": "Effect, 80 % low", "effect_high": "Effect, 80 % high",
    "sessions": "Streams", "live_hours": "Live hours", "viewers": "Viewers", "views": "Views",
    "orders": "Orders", "gmv": "GMV", "product_clicks": "Product clicks",
    "product_impressions": "Product impressions", "units_net": "Net units",
    "conversion_rate": "Conversion", "click_to_order_rate": "Click-to-order", "ctr": "CTR",
    "retention_rate": "Retention", "gmv_per_hour": "GMV per hour", "units_per_hour": "Units per hour",
    "gpm": "GPM",
}
MONEY = frozenset({"gmv", "gmv_per_hour", "gpm"})
PERCENT = frozenset({"conversion_rate", "click_to_order_rate", "ctr", "retention_rate"})
DECIMAL = frozenset({"live_hours", "units_per_hour"})
# The scorecard's headline, in the order a leader reads it, when targets.csv does not say otherwise.
HEADLINE = ("gmv", "live_hours", "gmv_per_hour", "orders", "conversion_rate", "retention_rate", "ctr",
            "units_net")


@dataclass(frozen=True)
class ScorecardSettings:
    """Rules of the scorecard reports; the defaults are the studio's current policy."""

    amber_band: float = 0.10  # up to 10 % short of target is amber, further is red
    lower_is_better: frozenset[str] = field(default_factory=frozenset)  # none of the contract metrics
    min_host_hours: float = 6.0  # live hours in the week before a host is ranked or coached
    min_slot_hours: float = 3.0  # live hours at a start hour before it is called under-performing
    slot_underperform_ratio: float = 0.70  # a start hour below 70 % of the studio's GMV per hour
    coaching_quantile: float = 0.25  # bottom quartile of ranked hosts on conversion or retention
    min_hosts_for_quartile: int = 4  # fewer ranked hosts than this: no quartile, no coaching call
    anomaly_z: float = 3.5  # robust z beyond which a stream or a host-day is an anomaly
    anomaly_window_days: int = 28  # history an anomaly is judged against
    anomaly_min_history: int = 5  # fewer past streams (or host-days) than this: no judgement
    trailing_days: int = 7  # the daily scorecard compares a day with the days before it
    trend_weeks: int = 8
    tier_weeks: int = 4
    tier_min_hours: float = 8.0
    promote_ratio: float = 1.25  # effect at least 1.25 x the tier's average effect (and conversion >= median)
    demote_ratio: float = 0.75  # effect at most 0.75 x the tier's average effect
    ranked_hosts: int = 5  # how many best and weakest hosts the weekly scorecard lists
    currency: str = "$"
    studio_name: str = "Livestream studio"

    def money(self, value: float) -> str:
        """$4,120 (whole units; cents add nothing to a scorecard)."""
        if value is None or not math.isfinite(value):
            return "n/a"
        sign = "-" if value < 0 else ""
        return f"{sign}{self.currency}{abs(value):,.0f}"

    def signed_money(self, value: float) -> str:
        """+$4,120 or -$4,120: a contribution to a change."""
        return ("+" if value >= 0 else "") + self.money(value)

    def value(self, metric: str, value: float) -> str:
        """A metric's value as a person reads it: money, percent, hours or a count."""
        if value is None or not math.isfinite(value):
            return "n/a"
        if metric in MONEY:
            return self.money(value)
        if metric in PERCENT:
            return percent(value)
        if metric in DECIMAL:
            return f"{value:,.1f}"
        return f"{value:,.0f}"


def percent(rate: float, digits: int = 1) -> str:
    """0.0234 -> '2.3 %'."""
    if rate is None or not math.isfinite(rate):
        return "n/a"
    return f"{rate * 100:.{digits}f} %"


def signed_percent(change: float) -> str:
    """A relative change, 0.084 -> '+8.4 %'."""
    if change is None or not math.isfinite(change):
        return "n/a"
    return f"{change * 100:+.1f} %"


def label(metric: str) -> str:
    return LABELS.get(metric, metric.replace("_", " "))


def host_names(hosts) -> dict[str, str]:
    """host_id -> name from hosts.csv (empty without it)."""
    if hosts is None:
        return {}
    return dict(zip(hosts["host_id"], hosts["name"]))


def host_label(host_id: str, names: dict[str, str]) -> str:
    """'Ana Ruiz (H003)', 'H003' for a guest not in hosts.csv, or 'no host' for an unattributed stream."""
    if not host_id:
        return "no host attributed"
    return person_label(host_id, names.get(host_id))
