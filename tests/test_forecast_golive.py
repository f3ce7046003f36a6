"""Suggested go-live times: the slot value per weekday and hour where history supports it, and a show's better
hour of the same day, said in words."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from forecast import fit_forecast
from forecast.cli import main
from forecast.golive import in_words, live_hour_values, money_in, suggestions, support

T = pd.Timestamp
HOSTS = pd.DataFrame({"host_id": ["H1", "H2"], "tier": ["A", "A"]})


def history(weeks: int = 6) -> pd.DataFrame:
    """Every Tuesday of `weeks` weeks: a 10:00 show selling 400 an hour and a 20:00 one selling 1,600, the
    same hosts, tier and category, so the only difference is the hour."""
    rows = []
    for week in range(weeks):
        tuesday = T("2026-10-06") + pd.Timedelta(weeks=week)
        for n, (hour, per_hour) in enumerate(((10, 400.0), (20, 1600.0))):
            start = tuesday + pd.Timedelta(hours=hour)
            rows.append({"session_id": f"S{week}{n}", "channel": "GlowLab Beauty", "host_id": ["H1", "H2"][week % 2],
                         "slot_id": "", "start": start, "end": start + pd.Timedelta(hours=2), "gmv": 2 * per_hour,
                         "product_tier": "core", "category": "beauty"})
    return pd.DataFrame(rows)


def test_live_hour_values_are_given_only_where_history_supports_them():
    sessions = history()
    model = fit_forecast(sessions, HOSTS)
    cells, per_channel = support(sessions, None, HOSTS)
    assert cells.values.tolist() == [[1, 10, 6], [1, 20, 6]] and per_channel == {"GlowLab Beauty": 12}
    grid = live_hour_values(model, cells, per_channel["GlowLab Beauty"], "GlowLab Beauty", "core", "beauty")
    known = grid.dropna(subset=["expected_gmv"])
    assert known[["weekday", "hour"]].values.tolist() == [[1, 10], [1, 20]]
    ten, twenty = known["expected_gmv"].tolist()
    assert ten == pytest.approx(400, rel=0.05) and twenty == pytest.approx(1600, rel=0.05)
    assert (known["low"] < known["expected_gmv"]).all() and (known["high"] > known["expected_gmv"]).all()
    few = live_hour_values(model, cells, 2, "GlowLab Beauty", "core", "beauty")  # the channel's own history
    assert few["expected_gmv"].isna().all()


def test_a_show_is_offered_the_better_free_hour_of_its_day():
    sessions = history()
    model = fit_forecast(sessions, HOSTS)
    cells, per_channel = support(sessions, None, HOSTS)
    week = pd.DataFrame({"channel": ["GlowLab Beauty"] * 2, "start": [T("2026-12-08 10:00"), T("2026-12-09 10:00")],
                         "end": [T("2026-12-08 11:00"), T("2026-12-09 11:00")], "product_tier": "core",
                         "category": "beauty"})
    found = suggestions(model, week, cells, per_channel)
    assert len(found) == 1  # Wednesday has no history at 10:00
    row = found.iloc[0]
    assert row["better_start"] == T("2026-12-08 20:00")
    assert row["expected_gmv"] == pytest.approx(400, rel=0.05) and row["better_gmv"] == pytest.approx(1600, rel=0.05)
    busy = pd.concat([week, week.iloc[[0]].assign(start=T("2026-12-08 19:30"), end=T("2026-12-08 21:00"))])
    assert suggestions(model, busy, cells, per_channel)["better_start"].isna().all()  # the channel is live then


def test_a_suggestion_in_words():
    money = money_in("$")
    row = SimpleNamespace(start=T("2026-12-08 10:00"), expected_gmv=410.2, low=300, high=520.4,
                          better_start=T("2026-12-08 20:00"), better_gmv=1650, better_low=1200, better_high=2100)
    assert in_words(row, "GlowLab Beauty", money) == (
        "GlowLab Beauty's Tue 10:00 show is expected to sell $410 (80 %: $300–520); at 20:00, $1,650 "
        "(80 %: $1,200–2,100)")
    row.better_start = pd.NaT
    assert in_words(row, "GlowLab Beauty", money).endswith("; no other hour of that day is expected to sell "
                                                           "clearly more.")


def test_the_command_writes_each_slot_with_its_better_hour(tmp_path, capsys):
    sessions = history()
    (tmp_path / "hosts.csv").write_text("host_id,name,tier,categories,hourly_rate,max_hours_per_week\n"
                                        "H1,Ana,A,beauty,20,40\nH2,Bo,A,beauty,20,40\n")
    sessions.assign(start=sessions["start"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
                    end=sessions["end"].dt.strftime("%Y-%m-%dT%H:%M:%S"), viewers=100, orders=5, views=200,
                    avg_watch_seconds=60, product_impressions=50, product_clicks=10) \
        .to_csv(tmp_path / "sessions.csv", index=False)
    (tmp_path / "slots.csv").write_text(
        "slot_id,channel,start,end,product_tier,category,language,expected_gmv\n"
        "W50-1,GlowLab Beauty,2026-12-08T10:00:00,2026-12-08T11:00:00,core,beauty,en,\n")
    assert main(["go-live", "--data", str(tmp_path), "--out", str(tmp_path / "go.csv")]) == 0
    written = pd.read_csv(tmp_path / "go.csv", dtype=str, keep_default_na=False)
    assert written[["start", "better_start"]].values.tolist() == [["2026-12-08T10:00:00", "2026-12-08T20:00:00"]]
    assert np.isclose(float(written.at[0, "better_gmv"]), 1600, rtol=0.05)
    assert "1 of 1 slot(s) with history behind their time, 1 that would sell clearly more" in capsys.readouterr().out
