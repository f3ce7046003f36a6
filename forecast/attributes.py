"""What each past stream was: its slot's channel, time, product tier and category, and who hosted it.

A session's slot attributes come from the slot it filled (matched by `slot_id` in the planned or past slots),
else from `category` / `product_tier` columns on sessions.csv, else they are unknown and the stream is
described by its channel and start time alone. Who hosted it is one of: a roster host (with their tier), a
guest (a host id not on the roster) or nobody (not yet attributed).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

UNKNOWN = "(unknown)"
GUEST = "(guest)"
UNATTRIBUTED = "(unattributed)"
STREAM_COLUMNS = ("channel", "weekday", "hour", "product_tier", "category", "hours")


def slot_features(frame: pd.DataFrame) -> pd.DataFrame:
    """The slot value's inputs for slots (or streams) with channel, start, end, product_tier and category."""
    start = pd.to_datetime(frame["start"])
    hours = (pd.to_datetime(frame["end"]) - start).dt.total_seconds().to_numpy() / 3600
    return pd.DataFrame({
        "channel": frame["channel"].to_numpy(dtype=object),
        "weekday": start.dt.day_of_week.to_numpy(),
        "hour": start.dt.hour.to_numpy(),
        "product_tier": _text(frame, "product_tier"),
        "category": _text(frame, "category", casefold=True),
        "hours": hours,
    }, index=frame.index)


def streams(sessions: pd.DataFrame, slots: pd.DataFrame | None, hosts: pd.DataFrame) -> pd.DataFrame:
    """One row per session: its slot features, who hosted it, its start, GMV per live hour and live hours."""
    described = with_slot_attributes(sessions, slots)
    features = slot_features(described)
    host_id = sessions["host_id"].fillna("").astype("str").str.strip().to_numpy(dtype=object)
    tier_of = pd.Series(hosts["tier"].to_numpy(dtype=object), index=hosts["host_id"].to_numpy(dtype=object))
    on_roster = pd.Index(tier_of.index).get_indexer(host_id) >= 0
    nobody = np.where(host_id == "", UNATTRIBUTED, GUEST).astype(object)
    tier = np.where(on_roster, tier_of.reindex(host_id).to_numpy(dtype=object), nobody)
    gmv = sessions["gmv"].to_numpy(dtype=float)
    hours = features["hours"].to_numpy()
    return features.assign(
        host_id=np.where(on_roster, host_id, ""), who=tier, start=pd.to_datetime(sessions["start"]).to_numpy(),
        gmv=gmv, gmv_per_hour=np.divide(gmv, hours, out=np.zeros_like(gmv), where=hours > 0))


def with_slot_attributes(sessions: pd.DataFrame, slots: pd.DataFrame | None) -> pd.DataFrame:
    """Sessions with product_tier and category taken from their slot where the slot is known."""
    out = sessions.copy()
    for column in ("product_tier", "category"):
        if column not in out.columns:
            out[column] = ""
    if slots is None or slots.empty or "slot_id" not in sessions.columns:
        return out
    known = slots.drop_duplicates("slot_id", keep="last")
    position = pd.Index(known["slot_id"].to_numpy(dtype=object)).get_indexer(
        sessions["slot_id"].fillna("").to_numpy(dtype=object))
    matched = position >= 0
    for column in ("product_tier", "category"):
        values = out[column].fillna("").astype("str").to_numpy(dtype=object)
        values[matched] = known[column].to_numpy(dtype=object)[position[matched]]
        out[column] = values
    return out


def _text(frame: pd.DataFrame, column: str, casefold: bool = False) -> np.ndarray:
    """A text column as an object array, empty or missing cells as UNKNOWN."""
    if column not in frame.columns:
        return np.full(len(frame), UNKNOWN, dtype=object)
    text = frame[column].fillna("").astype("str").str.strip()
    if casefold:
        text = text.str.casefold()
    return text.where(text != "", UNKNOWN).to_numpy(dtype=object)
