"""The objective is lexicographic (coverage, then GMV x fit, then shortfall, then pay); fit is hand-checked."""
from __future__ import annotations

import pandas as pd
import pytest
from test_scheduler_support import host, hosted, make_studio, session, slot

from scheduler import Settings, solve
from scheduler.fit import host_fit

FAST = dict(time_limit=5.0)


def test_higher_gmv_never_costs_coverage():
    # One host: either the big-GMV core slot, or the two zero-GMV core slots that overlap it.
    slots = [slot("BIG", "Mon 10:00", "Mon 14:00", product_tier="core", expected_gmv=1_000_000),
             slot("A", "Mon 09:00", "Mon 11:00", product_tier="core"),
             slot("B", "Mon 13:00", "Mon 15:00", product_tier="core")]
    plan = solve(make_studio([host("H1")], slots), **FAST)
    assert hosted(plan.assignments) == {"A": "H1", "B": "H1"}
    assert plan.summary.objective == 20


def test_fit_shrinkage_by_category_hand_checked():
    sessions = [session("X1", "H1", "Mon 10:00", 5, 1000, category="Beauty"),  # 200/h
                session("X2", "H2", "Tue 10:00", 5, 0, category="beauty"),  # 0/h
                session("X3", "GUEST", "Wed 10:00", 10, 1000, category="beauty"),  # counts for the studio only
                session("X4", "H1", "Thu 10:00", 2, 5000, category="home")]
    studio = make_studio([host("H1"), host("H2")], [slot("S1", "Mon 10:00", "Mon 12:00")], sessions=sessions)
    fits = host_fit(studio.sessions, ["H1", "H2"], Settings())
    by = {(h, c): round(f, 6) for h, c, f in zip(fits["host_id"], fits["category"], fits["fit"])}
    # studio beauty: 2000 GMV / 20 h = 100/h. H1: ratio 2, h 5 -> (5*2 + 10) / 15; H2: ratio 0 -> 10 / 15.
    # H1 home: the only home seller, ratio 1 -> 1.
    assert by == {("H1", "beauty"): round(20 / 15, 6), ("H2", "beauty"): round(10 / 15, 6), ("H1", "home"): 1.0}


def test_fit_without_a_category_column_uses_all_sessions():
    sessions = [session("X1", "H1", "Mon 10:00", 10, 3000), session("X2", "H2", "Tue 10:00", 10, 1000)]
    studio = make_studio([host("H1"), host("H2")], [slot("S1", "Mon 10:00", "Mon 12:00")], sessions=sessions)
    fits = host_fit(studio.sessions, ["H1", "H2"], Settings(fit_prior_hours=30))
    # studio 4000 / 20 h = 200/h; H1 ratio 1.5 -> (10*1.5 + 30) / 40 = 1.125; H2 ratio 0.5 -> (5 + 30) / 40 = 0.875
    assert fits.set_index("host_id")["fit"].round(6).to_dict() == {"H1": 1.125, "H2": 0.875}


def test_gmv_picks_the_better_fitting_host_and_reports_fit_weighted_gmv():
    sessions = [session("X1", "H1", "Mon 10:00", 5, 1000, category="beauty"),
                session("X2", "H2", "Tue 10:00", 5, 0, category="beauty")]
    studio = make_studio([host("H1", hourly_rate=90), host("H2", hourly_rate=10, min_hours_per_week=2)],
                         [slot("S1", "Mon 10:00", "Mon 12:00", expected_gmv=300)], sessions=sessions)
    plan = solve(studio, **FAST)
    assert hosted(plan.assignments) == {"S1": "H1"}  # GMV beats H2's shortfall and lower pay
    assert plan.summary.expected_gmv == pytest.approx(300 * 20 / 15)


@pytest.mark.parametrize("promised, expected", [(2, "H2"), (0, "H1")])
def test_shortfall_comes_before_pay(promised, expected):
    studio = make_studio([host("H1", hourly_rate=10), host("H2", hourly_rate=50, min_hours_per_week=promised)],
                         [slot("S1", "Mon 10:00", "Mon 12:00")])
    plan = solve(studio, **FAST)
    assert hosted(plan.assignments) == {"S1": expected}
    assert plan.summary.total_pay == (100 if expected == "H2" else 20)


def test_pay_includes_expected_commission():
    studio = make_studio([host("H1", hourly_rate=10, commission_rate=0.5), host("H2", hourly_rate=30)],
                         [slot("S1", "Mon 10:00", "Mon 12:00", expected_gmv=100)])
    plan = solve(studio, **FAST)
    # H1 costs 2 h x 10 + 0.5 x 100 = 70; H2 costs 60.
    assert hosted(plan.assignments) == {"S1": "H2"}
    hours = plan.summary.hours.set_index("host_id")
    assert hours.loc["H2", "pay"] == 60 and hours.loc["H2", "hours"] == 2 and hours.loc["H1", "shortfall"] == 0


def test_summary_counts_coverage_by_tier():
    slots = [slot("H", "Mon 10:00", "Mon 12:00", product_tier="hero"),
             slot("C", "Tue 10:00", "Tue 12:00", product_tier="core", category="toys")]
    plan = solve(make_studio([host("H1")], slots), **FAST)
    coverage = plan.summary.coverage.set_index("product_tier")
    assert coverage.loc["hero"].tolist() == [1, 1] and coverage.loc["core"].tolist() == [0, 1]
    assert coverage.loc["longtail"].tolist() == [0, 0]
    text = plan.summary.to_text()
    assert "hero" in text and "status OPTIMAL" in text and "H1" in text


def test_same_inputs_and_seed_give_the_same_plan():
    hosts = [host(f"H{i}", tier="ABC"[i % 3], categories="beauty|home", hourly_rate=20) for i in range(6)]
    slots = [slot(f"S{d}{k}", f"{day} {8 + 3 * k:02d}:00", f"{day} {10 + 3 * k:02d}:00",
                  product_tier=["hero", "core", "longtail"][k % 3], category=["beauty", "home"][(d + k) % 2],
                  expected_gmv=100 * (k + 1))
             for d, day in enumerate(["Mon", "Tue", "Wed"]) for k in range(4)]
    studio = make_studio(hosts, slots)
    first, second = solve(studio, seed=3, **FAST), solve(studio, seed=3, **FAST)
    assert first.summary.status == "OPTIMAL"
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
