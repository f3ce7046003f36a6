"""Written insights of the weekly scorecard: what moved GMV, who to coach, which slot times lag,
which targets were missed.

Each sentence is built from numbers computed here from the week's tables; where the data does not
support a statement (no previous week, too few hosts for a quartile), no sentence is written.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from metrics.effects import effect_text
from metrics.settings import ScorecardSettings, host_label, label, percent, signed_percent

COACHING_METRICS = ("conversion_rate", "retention_rate")


def weekly_insights(kpis: pd.DataFrame, channels: pd.DataFrame, hosts: pd.DataFrame, slot_times: pd.DataFrame,
                    tier_mix: pd.DataFrame, settings: ScorecardSettings, names: dict[str, str]) -> list[str]:
    """Every insight the week's tables support, most important first."""
    sentences = gmv_change(kpis, settings)
    if sentences:
        dimensions: list[tuple[str, pd.DataFrame, str, Callable[[object], str]]] = [
            ("channel", channels, "channel", str),
            ("host", hosts, "host_id", lambda h: host_label(str(h), names)),
            ("slot time", slot_times, "slot_time", str),
            ("product tier", tier_mix, "product_tier", lambda t: f"{t} products"),
        ]
        for dimension, table, key, name in dimensions:
            sentences += change_drivers(table, key, name, dimension, settings)
    sentences += targets_missed(kpis, settings)
    sentences += coaching(hosts, settings, names)
    sentences += slow_slot_times(slot_times, kpis, settings)
    return sentences


def gmv_change(kpis: pd.DataFrame, settings: ScorecardSettings) -> list[str]:
    """'GMV rose $12,300 (+8.4 %) to $158,000 on the week before's $145,700.'"""
    row = kpis.set_index("metric").loc["gmv"]
    if not math.isfinite(row["previous"]):
        return []
    verb = "rose" if row["change"] > 0 else "fell" if row["change"] < 0 else "held"
    amount = f" {settings.money(abs(row['change']))} ({signed_percent(row['change_pct'] / 100)})" \
        if row["change"] else ""
    return [f"GMV {verb}{amount} to {settings.money(row['actual'])}, "
            f"from {settings.money(row['previous'])} the week before."]


def change_drivers(table: pd.DataFrame, key: str, name: Callable[[object], str], dimension: str,
                   settings: ScorecardSettings) -> list[str]:
    """Which group of `dimension` moved GMV most with the net change, and which most against it.

    The groups' changes (gmv - gmv_prev) add up to the net change of the table, so each group's
    share of it is its contribution.
    """
    change = table.set_index(key)["gmv_change"]
    total = float(change.sum())
    if len(table) < 2 or not total:
        return []
    direction = 1 if total > 0 else -1
    lead = (change * direction).idxmax()
    if change[lead] * direction <= 0:
        return []
    sentence = (f"By {dimension}, {name(lead)} drove the change most: {settings.signed_money(change[lead])} "
                f"({change[lead] / total * 100:.0f} % of the net {settings.signed_money(total)})")
    against = (change * direction).idxmin()
    if change[against] * direction < 0:
        sentence += f"; {name(against)} went the other way ({settings.signed_money(change[against])})"
    return [sentence + "."]


def targets_missed(kpis: pd.DataFrame, settings: ScorecardSettings) -> list[str]:
    """One sentence per KPI that is amber or red against its target."""
    missed = kpis[kpis["status"].isin(["amber", "red"])]
    return [f"{row.label} missed its target: {settings.value(row.metric, row.actual)} against "
            f"{settings.value(row.metric, row.target)} ({signed_percent(row.to_target_pct / 100)}, {row.status})."
            for row in missed.itertuples()]


def coaching(hosts: pd.DataFrame, settings: ScorecardSettings, names: dict[str, str]) -> list[str]:
    """Ranked hosts in the bottom quartile of conversion or retention, with the metric to work on."""
    ranked = hosts[hosts["ranked"]]
    if len(ranked) < settings.min_hosts_for_quartile:
        return []
    flags: dict[str, list[str]] = {}
    for metric in COACHING_METRICS:
        values = ranked[metric].dropna()
        if len(values) < settings.min_hosts_for_quartile:
            continue
        cut, median = values.quantile(settings.coaching_quantile), values.median()
        if cut == median:
            continue  # no spread between the hosts: a bottom quartile would single out nobody fairly
        for index, value in values[values <= cut].items():
            host = ranked.at[index, "host_id"]
            flags.setdefault(host, []).append(
                f"{label(metric).lower()} {percent(value)} against a host median of {percent(median)}")
    by_host = ranked.set_index("host_id")
    if "effect" in by_host.columns:  # the hosts who add least come first, with what they add
        flags = dict(sorted(flags.items(), key=lambda item: by_host.at[item[0], "effect"]))
    return [f"Coach {host_label(host, names)} on {' and '.join(parts)} (bottom quartile over "
            f"{by_host.at[host, 'live_hours']:.1f} live hours){_sells(by_host.loc[host])}."
            for host, parts in flags.items()]


def _sells(host: pd.Series) -> str:
    """'; sells 0.85× an average host in comparable slots (80 %: ...)' where the host has an effect."""
    if "effect" not in host.index or pd.isna(host["effect"]):
        return ""
    return f"; sells {effect_text(host['effect'], host['effect_low'], host['effect_high'])}"


def slow_slot_times(slot_times: pd.DataFrame, kpis: pd.DataFrame, settings: ScorecardSettings) -> list[str]:
    """Start hours whose GMV per hour is under the studio's by the settings' margin, on enough hours."""
    studio = kpis.set_index("metric").at["gmv_per_hour", "actual"]
    slow = slot_times[slot_times["under_performing"]].sort_values("vs_studio_pct", kind="stable")
    return [f"The {row.slot_time} slot time under-performs: GMV per hour {settings.money(row.gmv_per_hour)} "
            f"over {row.live_hours:.1f} live hours, {row.vs_studio_pct:.0f} % of the studio's "
            f"{settings.money(studio)}." for row in slow.itertuples()]
