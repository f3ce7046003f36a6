"""Raw host fit: a host's GMV per live hour against the studio's in the same category, shrunk toward 1.

fit = (h * ratio + k) / (h + k), h = the host's live hours (in the category when sessions.csv has one),
ratio = host GMV per live hour / studio GMV per live hour, k = the prior hours. A host with little history
is treated as average rather than judged on one lucky or unlucky stream. It ignores which slots the host was
given, which is why the forecast's host effect replaces it; it stays as the baseline the backtest beats.
"""
from __future__ import annotations

import pandas as pd

COLUMNS = ["host_id", "category", "fit", "live_hours"]


def raw_fit(sessions: pd.DataFrame | None, host_ids: list[str], prior_hours: float) -> pd.DataFrame:
    """Fit per host and category (lower-case); category '*' when sessions.csv has no category column."""
    if sessions is None or sessions.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("fit", "live_hours") else "str") for c in COLUMNS})
    hours = (sessions["end"] - sessions["start"]).dt.total_seconds() / 3600
    frame = pd.DataFrame({"host_id": sessions["host_id"].astype("str"), "gmv": sessions["gmv"].astype(float),
                          "hours": hours})
    frame["category"] = (sessions["category"].astype("str").str.strip().str.casefold()
                         if "category" in sessions.columns else "*")
    studio = frame.groupby("category")[["gmv", "hours"]].sum()
    studio_rate = (studio["gmv"] / studio["hours"].where(studio["hours"] > 0)).rename("studio_rate")
    own = frame[frame["host_id"].isin(host_ids)].groupby(["host_id", "category"])[["gmv", "hours"]].sum().reset_index()
    own = own.join(studio_rate, on="category")
    ratio = own["gmv"] / own["hours"].where(own["hours"] > 0) / own["studio_rate"].where(own["studio_rate"] > 0)
    h, k = own["hours"], prior_hours
    fit = ((h * ratio + k) / (h + k)).where(ratio.notna(), 1.0)
    return own.assign(fit=fit, live_hours=h)[COLUMNS]
