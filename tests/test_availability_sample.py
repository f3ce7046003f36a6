"""The sample studio's weekly template and exceptions (made by sample_data.roster_template, written by the
generator): valid by the contract, realistic, and the sample week still plannable."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from contract import check_references
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE
from sample_data.generate import generate_studio
from sample_data.roster_template import regular_shifts, roster_template
from scheduler import load_studio

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "studio"
MONDAY = np.datetime64("2026-11-30")


@pytest.fixture(scope="module")
def generated() -> dict[str, pd.DataFrame]:
    return generate_studio(viewer_minutes=False)


@pytest.fixture(scope="module")
def made(generated) -> tuple[pd.DataFrame, pd.DataFrame]:
    return generated["availability_template.csv"], generated["availability_exceptions.csv"]


def test_most_hosts_have_a_pattern_and_the_week_has_each_kind_of_exception(generated, made):
    template, exceptions = made
    hosts = generated["hosts.csv"]
    check_references(template, "host_id", hosts["host_id"], AVAILABILITY_TEMPLATE, "hosts.csv")
    check_references(exceptions, "host_id", hosts["host_id"], AVAILABILITY_EXCEPTIONS, "hosts.csv")
    with_windows = set(generated["availability.csv"]["host_id"])
    assert len(set(template["host_id"])) >= 0.75 * len(with_windows)
    assert not template.duplicated(["host_id", "weekday", "start"]).any()
    assert sorted(exceptions["change"]) == ["extra", "extra", "time off", "time off", "time off"]
    assert exceptions["host_id"].is_unique
    monday = pd.Timestamp(MONDAY)
    assert ((exceptions["start"] >= monday) & (exceptions["end"] <= monday + pd.Timedelta(days=7))).all()
    lengths = (exceptions["end"] - exceptions["start"]).dt.total_seconds() / 3600
    assert sorted(lengths[exceptions["change"] == "time off"]) == [2, 24, 48]


def test_extras_fall_on_a_day_the_host_had_no_window_and_time_off_spares_locked_slots(generated, made):
    _, exceptions = made
    windows, slots = generated["availability.csv"], generated["slots.csv"]
    for row in exceptions.itertuples():
        mine = windows[windows["host_id"] == row.host_id]
        if row.change == "extra":
            assert row.start.normalize() not in set(mine["start"].dt.normalize())
        else:
            locked = slots[slots["locked_host_id"] == row.host_id]
            assert not ((locked["start"] < row.end) & (locked["end"] > row.start)).any()


def test_the_pattern_is_the_shift_worked_most_often():
    windows = pd.DataFrame({"host_id": ["H1"] * 4 + ["H2"] * 2,
                            "start": pd.to_datetime(["2026-11-30T09:00", "2026-12-01T09:00", "2026-12-02T14:00",
                                                     "2026-12-03T09:00", "2026-11-30T09:00", "2026-12-01T09:00"]),
                            "end": pd.to_datetime(["2026-11-30T17:00", "2026-12-01T17:00", "2026-12-02T22:00",
                                                   "2026-12-03T17:00", "2026-11-30T17:00", "2026-12-01T17:00"])})
    assert regular_shifts(windows).values.tolist() == [
        ["H1", "Mon", "09:00", "17:00"], ["H1", "Tue", "09:00", "17:00"], ["H1", "Thu", "09:00", "17:00"]]


def test_the_sample_week_loads_with_time_off_taken_out():
    studio = load_studio(SAMPLE)
    windows = studio.availability
    away = windows[(windows["host_id"] == "H019") & (windows["end"] > pd.Timestamp("2026-12-05"))]
    assert away.empty  # the weekend away (H019, Sat-Sun) leaves no window on those days
    extra = windows[(windows["host_id"] == "H016") & (windows["start"] == pd.Timestamp("2026-12-01T07:30"))]
    assert len(extra) == 1


def test_a_roster_without_a_regular_week_gets_no_template_and_no_exceptions():
    windows = pd.DataFrame({"host_id": ["H1", "H1"], "start": pd.to_datetime(["2026-11-30T09:00", "2026-12-01T10:00"]),
                            "end": pd.to_datetime(["2026-11-30T17:00", "2026-12-01T18:00"])})
    slots = pd.DataFrame({"locked_host_id": pd.Series([], dtype="str"), "start": pd.Series([], dtype="datetime64[ns]"),
                          "end": pd.Series([], dtype="datetime64[ns]")})
    template, exceptions = roster_template(np.random.default_rng(1), windows, slots, MONDAY)
    assert template.empty and list(template.columns) == ["host_id", "weekday", "start", "end"]
    assert exceptions.empty and list(exceptions.columns) == ["host_id", "start", "end", "change", "note"]
