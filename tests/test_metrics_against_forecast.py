"""The daily scorecard sets each stream against what the forecast, learnt before that day, expected of its slot
with an average host and of its host there."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_forecast import PRIME, _hosts, _session, _swapped_studio
from test_metrics_reports import SKU_COLUMNS

from metrics import Results
from metrics.daily import daily_scorecard
from metrics.effects import against_forecast, forecast_before
from metrics.settings import ScorecardSettings

DAY = pd.Timestamp("2026-11-30")  # the day after the swapped studio's eight weeks


class KnownForecast:
    """A forecast whose expectations are given: 1,000 for every slot, each host's effect as listed."""

    def __init__(self, effects: dict[str, float]) -> None:
        self.effects = effects

    def stream_values(self, sessions: pd.DataFrame, slots: pd.DataFrame | None = None) -> pd.DataFrame:
        return pd.DataFrame({"expected_gmv": 1000.0,
                             "effect": [self.effects.get(h, np.nan) for h in sessions["host_id"]]},
                            index=sessions.index)


def day_streams(*rows: tuple[str, str, float]) -> pd.DataFrame:
    """Streams of DAY: (session_id, host_id, gmv), an hour apart from 10:00."""
    return pd.DataFrame([{"session_id": s, "channel": "Shop", "host_id": h, "gmv": gmv,
                          "start": DAY + pd.Timedelta(hours=10 + n)} for n, (s, h, gmv) in enumerate(rows)])


def test_each_stream_is_set_against_its_slot_and_its_host_in_words():
    model = KnownForecast({"H1": 1.25, "H2": 0.8})
    table = against_forecast(day_streams(("a", "H1", 1380.0), ("b", "H2", 800.0), ("c", "G9", 600.0)),
                             model, None, {"H1": "Ana", "H2": "Bo"})  # type: ignore[arg-type]
    # a: 1380 / 1000 = +38 %; expected of Ana 1000 × 1.25 = 1250, 1380 / 1250 = +10.4 %
    assert table["vs_slot_pct"].round(1).tolist() == [38.0, -20.0, -40.0]
    assert table["host_expected"].tolist()[:2] == [1250.0, 800.0] and np.isnan(table.at[2, "host_expected"])
    assert table["note"].tolist() == [
        "sold 38 % above what this slot usually sells with an average host, and 10 % above what Ana is expected "
        "to sell here",
        "sold 20 % below what this slot usually sells with an average host, and about what Bo is expected to sell "
        "here",
        "sold 40 % below what this slot usually sells with an average host"]  # a guest has no effect of their own


def test_a_studio_without_earlier_streams_says_there_is_nothing_to_compare_with():
    model = forecast_before(day_streams(("a", "X", 500.0)).assign(end=DAY + pd.Timedelta(hours=12)),
                            _hosts(("X", "B")), DAY)
    assert model is not None and model.empty
    table = against_forecast(day_streams(("a", "X", 500.0)).assign(end=DAY + pd.Timedelta(hours=12)), model, None,
                             {})
    assert table["note"].tolist() == ["no earlier streams to compare with"]


def test_the_learnt_forecast_expects_what_the_host_usually_sells_in_that_slot():
    history, hosts = _swapped_studio(), _hosts(("X", "B"), ("Y", "B"))
    today = pd.DataFrame([_session("X", 56, 20, PRIME * 0.8)])  # X at prime time, selling as X always does
    assert today.at[0, "start"].normalize() == DAY
    model = forecast_before(pd.concat([history, today], ignore_index=True), hosts, DAY)
    row = against_forecast(today, model, None, {"X": "Xena"}).iloc[0]
    assert row["vs_slot_pct"] == pytest.approx(-20, abs=8)  # X sells about 20 % below an average host
    assert row["vs_host_pct"] == pytest.approx(0, abs=8)  # which is what is expected of X
    doubled = against_forecast(today.assign(gmv=today["gmv"] * 2), model, None, {}).iloc[0]
    assert doubled["slot_expected"] == row["slot_expected"]  # the day's own result sets no expectation


def test_the_daily_scorecard_carries_the_table_when_given_the_forecast():
    history, hosts = _swapped_studio(), _hosts(("X", "B"), ("Y", "B"))
    today = pd.DataFrame([_session("X", 56, 20, PRIME * 0.8), _session("Y", 56, 9, 900.0)])
    sessions = pd.concat([history, today], ignore_index=True)
    for column, value in {"viewers": 100, "views": 200, "avg_watch_seconds": 60.0, "product_impressions": 1000,
                          "product_clicks": 100, "orders": 10}.items():
        sessions[column] = value
    sessions = sessions.astype({c: "str" for c in ("session_id", "channel", "host_id", "slot_id")})
    results = Results.from_frames(sessions, pd.DataFrame(columns=list(SKU_COLUMNS)).astype(SKU_COLUMNS))
    card = daily_scorecard(results, "2026-11-30", ScorecardSettings(), hosts,
                           model=forecast_before(sessions, hosts, DAY))
    assert card.against_forecast["session_id"].tolist() == ["S56-9-Y", "S56-20-X"]
    assert "Against forecast" in card.tables()
    assert daily_scorecard(results, "2026-11-30", ScorecardSettings(), hosts).against_forecast.empty


def test_the_daily_page_shows_the_days_streams_against_the_forecast(app_store):
    from test_app import open_page

    app = open_page("daily")
    assert not app.exception
    assert "Streams against the forecast" in [h.value for h in app.subheader]
    table = next(d.value for d in app.dataframe if "note" in d.value.columns)
    assert len(table) and table.iloc[:, -1].str.startswith("sold ").all()
