"""GMV per live hour of a stream = slot value x host effect, learned jointly from the studio's results.

The model is a linear model of log GMV per live hour, fitted by weighted ridge regression over one-hot
columns in five blocks:
- the slot: channel, weekday, start hour, product tier, category and log duration;
- the trend: weeks before the latest stream;
- who hosted: the host's tier, a guest or nobody (so guests inform the slot value but earn no effect);
- each roster host's own deviation from their tier;
- each host's deviation in each category they sold.

Why this model: a host is judged against what others sold in comparable slots, because slot and host terms
are fitted together; fitting GMV per hour against the slot's own value removes the slot luck that raw GMV per
hour rewards. Why ridge with empirical Bayes: the host and host-category blocks are random effects in all but
name. Their penalties are set from the data (an EM loop on the between-host variance, lambda = sigma^2 / tau^2),
so a host with one stream stays near their tier's average and a host with fifty is judged on their record.
This is the same shrinkage a mixed model gives, at a fraction of the time on a year of 100 shops, and the
slot, trend and tier blocks carry almost no penalty.

Why the fit runs along the sales funnel: log GMV per live hour is the sum of log viewers per live hour, log
orders per viewer and log GMV per order, and each part is fitted with the same columns and its own penalties.
Hosts differ more in some parts than in others (how well they convert, say, more than what an order is worth);
a part where the data show little between-host spread is shrunk hard, so its luck does not reach the effect,
and the parts' terms add up to the effect on GMV. Without viewers and orders the target is fitted whole.

Time: recent streams weigh more (a half-life in weeks), and the trend term lets the forecast be the level at
the latest stream rather than the weighted average of the past; it is not carried beyond the latest stream.

Why the solve is scipy's Cholesky on the ridge normal equations rather than scikit-learn's `Ridge`: it is the
same computation (`Ridge(solver="cholesky")` calls the same LAPACK routine), and importing scikit-learn costs
more than a second, which every `python -m scheduler solve` would pay.

Normalisation: `slot_value` is what an average roster host sells in the slot (the session-weighted mean of
the host terms is folded into it), and `effect` multiplies it, so forecast x effect is what the model expects
that host to sell in that slot. Intervals are 80 %: for a slot, the spread of single streams around the
forecast; for an effect, the approximate posterior spread of the host's terms (the parts' variances added).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from forecast.attributes import GUEST, UNATTRIBUTED, slot_features, streams, with_slot_attributes

if TYPE_CHECKING:
    import scipy.sparse as sparse

    from forecast.ridge import Part

SLOT_COLUMNS = ["channel", "weekday", "hour", "product_tier", "category"]
Z80 = 1.2815515655446004  # the standard normal's 90th percentile: an 80 % two-sided interval


@dataclass(frozen=True)
class ForecastSettings:
    """What a studio may tune: how fast old streams fade and the floor under a zero-GMV stream."""

    half_life_weeks: float = 12.0
    floor_share: float = 0.05  # a stream's GMV per hour counts as at least this share of the median


@dataclass(frozen=True)
class Forecast:
    """A fitted forecast; `empty` (no results) forecasts 0 for every slot and 1 for every host."""

    hosts: pd.DataFrame  # host_id, tier: the roster the effects refer to
    empty: bool = True
    encoding: SlotEncoding | None = None
    slot_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    intercept: float = 0.0
    average_host: float = 0.0  # the session-weighted mean of the host terms, folded into slot values
    tier_terms: dict[str, float] = field(default_factory=dict)
    host_terms: dict[str, tuple[float, float]] = field(default_factory=dict)  # host -> (term, variance)
    category_terms: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    smear: float = 1.0  # mean of exp(residual): turns a log-scale forecast into an expected GMV
    spread: tuple[float, float] = (1.0, 1.0)  # 10th and 90th percentile of exp(residual)
    history: pd.DataFrame = field(default_factory=pd.DataFrame)  # host_id, category, live_hours, sessions

    @cached_property
    def tier_of(self) -> dict[str, str]:
        return dict(zip(self.hosts["host_id"], self.hosts["tier"]))

    def slot_values(self, slots: pd.DataFrame) -> pd.DataFrame:
        """expected_gmv, low, high per slot (index kept): what an average host sells there."""
        if self.empty or slots.empty:
            zeros = np.zeros(len(slots))
            return pd.DataFrame({"expected_gmv": zeros, "low": zeros, "high": zeros}, index=slots.index)
        features = slot_features(slots)
        base = np.exp(self._slot_log(features)) * features["hours"].to_numpy()
        return pd.DataFrame({"expected_gmv": base * self.smear, "low": base * self.spread[0],
                             "high": base * self.spread[1]}, index=slots.index)

    def stream_values(self, sessions: pd.DataFrame, slots: pd.DataFrame | None = None) -> pd.DataFrame:
        """Per stream (index kept): what its slot sells with an average host (expected_gmv) and its host's
        effect in the slot's category (NaN for a guest or nobody), so expected_gmv × effect is what the
        forecast expected of that host there. Slot attributes come from `slots` by slot_id, as in the fit."""
        described = with_slot_attributes(sessions, slots)
        values = self.slot_values(described)[["expected_gmv"]]
        hosts = described["host_id"].fillna("").astype("str").str.strip()
        categories = described["category"].fillna("").astype("str")
        values["effect"] = [self.effect(h, c or None)[0] if h in self.tier_of else np.nan
                            for h, c in zip(hosts, categories)]
        return values

    def effect(self, host_id: str, category: str | None) -> tuple[float, float, float]:
        """(effect, low, high) of a host in a category (None: over all categories); the tier's average where
        the host has no record there."""
        if self.empty:
            return 1.0, 1.0, 1.0
        term, variance = self.tier_terms.get(self.tier_of.get(host_id, ""), self.average_host), 0.0
        for part, var in (self.host_terms.get(host_id, (0.0, 0.0)),
                          self.category_terms.get((host_id, str(category).strip().casefold()), (0.0, 0.0))
                          if category is not None else (0.0, 0.0)):
            term, variance = term + part, variance + var
        centre, width = term - self.average_host, Z80 * np.sqrt(variance)
        return float(np.exp(centre)), float(np.exp(centre - width)), float(np.exp(centre + width))

    def tier_average(self, tier: str) -> float:
        """The effect of a tier's average host (1.0 for a tier without streams, or without results)."""
        return 1.0 if self.empty else float(np.exp(self.tier_terms.get(tier, self.average_host) - self.average_host))

    def host_summary(self) -> pd.DataFrame:
        """One row per roster host with streams: their effect over the categories they sold (weighted by
        streams, on the log scale), its interval, live hours and streams: what rankings and reviews compare."""
        columns = ["host_id", "effect", "low", "high", "live_hours", "sessions"]
        if self.empty or self.history.empty:
            return pd.DataFrame({c: pd.Series(dtype="str" if c == "host_id" else "float64") for c in columns})
        per_category = self.host_effects()
        logs = np.log(per_category[["effect", "low", "high"]]).mul(per_category["sessions"], axis=0)
        totals = logs.assign(host_id=per_category["host_id"], live_hours=per_category["live_hours"],
                             sessions=per_category["sessions"]).groupby("host_id", sort=True).sum()
        summary = np.exp(totals[["effect", "low", "high"]].div(totals["sessions"], axis=0))
        return summary.join(totals[["live_hours", "sessions"]]).reset_index()[columns]

    def host_effects(self) -> pd.DataFrame:
        """One row per roster host and category they sold in: effect with its interval, live hours, sessions."""
        rows = [(h, c, *self.effect(h, c), hours, count)
                for h, c, hours, count in self.history.itertuples(index=False)]
        return pd.DataFrame(rows, columns=["host_id", "category", "effect", "low", "high", "live_hours", "sessions"])

    def _slot_log(self, features: pd.DataFrame) -> np.ndarray:
        assert self.encoding is not None
        design = self.encoding.design(features)
        return self.intercept + design @ self.slot_coef + self.average_host


def fit_forecast(sessions: pd.DataFrame | None, hosts: pd.DataFrame, slots: pd.DataFrame | None = None,
                 settings: ForecastSettings = ForecastSettings()) -> Forecast:
    """Learn slot values and host effects from the studio's sessions; `slots` are the planned or past slots
    that sessions name by slot_id (their product tier and category describe the stream)."""
    roster = hosts.loc[hosts.get("role", pd.Series("host", index=hosts.index)).fillna("host") != "assistant",
                       ["host_id", "tier"]].reset_index(drop=True)
    if sessions is None or sessions.empty:
        return Forecast(roster)
    data = streams(sessions, slots, roster)
    weight = _recency(data["start"], settings.half_life_weeks)
    target = _floored_log(data["gmv_per_hour"].to_numpy(), settings.floor_share)
    encoding = SlotEncoding.of(data, weight, float(np.average(np.log(data["hours"]), weights=weight)))
    terms = _Terms(data)
    from forecast import ridge  # scipy is imported where a forecast is fitted, not by everything that imports this

    with ridge.one_thread():
        slot = encoding.design(data)
        fixed = ridge.columns(np.ones(len(data)), -_age_weeks(data["start"]), slot,
                              ridge.indicators(terms.who, len(terms.who_levels)))
        solver = ridge.Ridge(fixed, ridge.indicators(terms.host, len(terms.host_levels)),
                             ridge.indicators(terms.pair, len(terms.pair_levels)), terms.pair_host, weight)
        parts = [solver.fit(part) for part in _funnel(sessions, data, target, settings.floor_share)]
    return _forecast(encoding, terms, slot.shape[1], target, weight, roster, data, parts)


def _floored_log(values: np.ndarray, floor_share: float) -> np.ndarray:
    """log of each value, counted as at least `floor_share` of the median (so a zero is a poor stream, not -inf)."""
    return np.log(np.maximum(values, max(float(np.median(values)) * floor_share, 1e-6)))


def _funnel(sessions: pd.DataFrame, data: pd.DataFrame, target: np.ndarray, floor_share: float) -> list[np.ndarray]:
    """log GMV per live hour split into viewers per live hour, orders per viewer and GMV per order (the last
    takes what the floors leave, so the parts always sum to the target); the target whole without those columns."""
    if not {"viewers", "orders"} <= set(sessions.columns) or sessions[["viewers", "orders"]].isna().any().any():
        return [target]
    viewers = np.maximum(sessions["viewers"].to_numpy(dtype=float), 1.0)
    hours = np.maximum(data["hours"].to_numpy(dtype=float), 1e-3)
    traffic = _floored_log(viewers / hours, floor_share)
    conversion = _floored_log(sessions["orders"].to_numpy(dtype=float) / viewers, floor_share)
    return [traffic, conversion, target - traffic - conversion]


class _Terms:
    """Who hosted each stream as column codes: their tier (or guest, nobody), the roster host and the host's
    category (-1 for a stream no roster host streamed), and which host each host-category belongs to."""

    def __init__(self, data: pd.DataFrame):
        attributed = data["host_id"].to_numpy(dtype=object) != ""
        self.who, self.who_levels = _codes(data["who"])
        host, self.host_levels = _codes(data["host_id"])
        pair, self.pair_levels = _codes(pd.Series(data["host_id"].to_numpy(dtype=object) + "\x1f"
                                                  + data["category"].to_numpy(dtype=object)))
        self.pair_host = np.zeros(len(self.pair_levels), dtype=np.int64)
        self.pair_host[pair] = host
        self.host, self.pair = np.where(attributed, host, -1), np.where(attributed, pair, -1)


def _forecast(encoding: SlotEncoding, terms: _Terms, slot_width: int, target: np.ndarray, weight: np.ndarray,
              roster: pd.DataFrame, data: pd.DataFrame, parts: list[Part]) -> Forecast:
    """The parts' terms summed into one forecast of log GMV per live hour (their variances added); the trend
    is left out, so a forecast is the level at the latest stream."""
    def total(name: str) -> np.ndarray:
        return np.sum([getattr(part, name) for part in parts], axis=0)

    intercept, _, slot, who = np.split(total("fixed"), np.cumsum([1, 1, slot_width]))
    host, pair = total("host"), total("pair")
    host_var, pair_var = total("host_var"), total("pair_var")
    attributed = terms.host >= 0
    host_part = who[terms.who] + np.where(attributed, host[terms.host] + pair[terms.pair], 0.0)
    average_host = float(np.average(host_part[attributed], weights=weight[attributed])) if attributed.any() else 0.0
    tiers = {t: float(v) for t, v in zip(terms.who_levels, who) if t not in (GUEST, UNATTRIBUTED)}
    host_terms = {h: (float(b), float(v)) for h, b, v in zip(terms.host_levels, host, host_var) if h}
    category_terms = {}
    for level, b, v in zip(terms.pair_levels, pair, pair_var):
        host_id, category = level.split("\x1f", 1)
        if host_id:
            category_terms[(host_id, category)] = (float(b), float(v))
    ratio = np.exp(target - total("fitted"))
    return Forecast(
        roster, empty=False, encoding=encoding, slot_coef=slot, intercept=float(intercept[0]),
        average_host=average_host, tier_terms=tiers, host_terms=host_terms, category_terms=category_terms,
        smear=float(np.average(ratio, weights=weight)),
        spread=(_weighted_quantile(ratio, weight, 0.1), _weighted_quantile(ratio, weight, 0.9)),
        history=_history(data[attributed]))


@dataclass(frozen=True)
class SlotEncoding:
    """The levels each slot attribute took in the results (one column each), how often each came up, and the mean
    log duration. A slot with a level the results never had (a new channel, a tier never streamed) gets that
    attribute's average over the results rather than any one level's value."""

    levels: tuple[pd.Index, ...]
    shares: tuple[np.ndarray, ...]
    log_hours_mean: float

    @classmethod
    def of(cls, data: pd.DataFrame, weight: np.ndarray, log_hours_mean: float) -> SlotEncoding:
        levels, shares = [], []
        for column in SLOT_COLUMNS:
            codes, found = _codes(data[column])
            levels.append(pd.Index(found))
            counts = np.bincount(codes, weights=weight, minlength=len(found))
            shares.append(counts / counts.sum())
        return cls(tuple(levels), tuple(shares), log_hours_mean)

    def design(self, features: pd.DataFrame) -> sparse.csr_matrix:
        """One-hot slot attributes and the centred log duration, one row per slot or stream."""
        from forecast import ridge  # scipy is imported where a forecast is fitted or used

        blocks = [ridge.one_hot(levels.get_indexer(features[column].to_numpy(dtype=object)), shares)
                  for column, levels, shares in zip(SLOT_COLUMNS, self.levels, self.shares)]
        log_hours = np.log(np.maximum(features["hours"].to_numpy(dtype=float), 1e-3)) - self.log_hours_mean
        return ridge.columns(*blocks, log_hours)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and sorted levels, so column order never depends on the order streams arrive in."""
    codes, levels = pd.factorize(values.to_numpy(dtype=object), sort=True)
    return codes, np.asarray(levels, dtype=object)


def _recency(start: pd.Series, half_life_weeks: float) -> np.ndarray:
    """Each stream's weight: halved every `half_life_weeks` before the latest stream."""
    return 0.5 ** (_age_weeks(start) / half_life_weeks)


def _age_weeks(start: pd.Series) -> np.ndarray:
    """How many weeks each stream started before the latest one."""
    start = pd.to_datetime(start)
    return (start.max() - start).dt.total_seconds().to_numpy() / (7 * 86400)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, share: float) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, share * cumulative[-1])])


def _history(data: pd.DataFrame) -> pd.DataFrame:
    """Live hours and streams per roster host and category, the rows the effects table reports."""
    grouped = data.groupby(["host_id", "category"], sort=True).agg(live_hours=("hours", "sum"),
                                                                  sessions=("hours", "size"))
    return grouped.reset_index()
