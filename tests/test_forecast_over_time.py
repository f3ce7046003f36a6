"""Each host's effect over time, refitted at every week's end, on a tiny studio built by hand."""
from __future__ import annotations

import pandas as pd
import pytest
from test_forecast import _hosts, _session

from forecast import fit_forecast
from forecast.over_time import COLUMNS, effects_over_time


def _improving_studio() -> pd.DataFrame:
    """Four weeks from Monday 2026-10-05 (2026-W41): X and Y share the same slots, each a stream a day; Y sells
    like an average host throughout, X sells half of it for two weeks and twice it for the next two. Z streams
    only in the last week."""
    rows = []
    for day in range(28):
        x_sells = 0.5 if day < 14 else 2.0
        x_hour, y_hour = (9, 20) if day % 2 else (20, 9)
        rows += [_session("X", day, x_hour, 1000 * x_sells), _session("Y", day, y_hour, 1000)]
        if day >= 21:
            rows.append(_session("Z", day, 14, 1000))
    return pd.DataFrame(rows)


def test_one_row_per_week_and_host_with_streams_by_its_end():
    sessions, hosts = _improving_studio(), _hosts(("X", "B"), ("Y", "B"), ("Z", "B"))
    found = effects_over_time(sessions, hosts)
    assert list(found.columns) == COLUMNS
    assert found["week"].unique().tolist() == ["2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert found.groupby("week")["host_id"].apply(list).to_dict() == {
        "2026-W41": ["X", "Y"], "2026-W42": ["X", "Y"], "2026-W43": ["X", "Y"], "2026-W44": ["X", "Y", "Z"]}
    assert found.loc[found["host_id"] == "X", "sessions"].tolist() == [7, 14, 21, 28]
    assert found.loc[found["host_id"] == "X", "live_hours"].tolist() == [14, 28, 42, 56]


def test_the_effect_follows_a_host_who_gets_better_and_the_last_week_is_todays_fit():
    sessions, hosts = _improving_studio(), _hosts(("X", "B"), ("Y", "B"), ("Z", "B"))
    found = effects_over_time(sessions, hosts)
    x = found.loc[found["host_id"] == "X"].set_index("week")
    y = found.loc[found["host_id"] == "Y"].set_index("week")
    assert x.at["2026-W42", "effect"] < y.at["2026-W42", "effect"]  # X sold half of Y for two weeks
    assert x.at["2026-W44", "effect"] > y.at["2026-W44", "effect"]  # then twice: recent streams weigh more
    assert x.at["2026-W44", "effect"] > x.at["2026-W42", "effect"]
    assert ((found["low"] < found["effect"]) & (found["effect"] < found["high"])).all()
    today = fit_forecast(sessions, hosts).host_summary().set_index("host_id")
    last = found.loc[found["week"] == "2026-W44"].set_index("host_id")
    assert last["effect"].to_dict() == pytest.approx(today["effect"].to_dict())


def test_weeks_keeps_the_latest_and_no_results_give_no_rows():
    sessions, hosts = _improving_studio(), _hosts(("X", "B"), ("Y", "B"), ("Z", "B"))
    assert effects_over_time(sessions, hosts, weeks=2)["week"].unique().tolist() == ["2026-W43", "2026-W44"]
    empty = effects_over_time(None, hosts)
    assert empty.empty and list(empty.columns) == COLUMNS
