"""On random small studios: no plan breaks a hard rule (checked by the tests' own checker), and coverage equals
the brute-force optimum found by enumerating every assignment."""
from __future__ import annotations

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from test_scheduler_support import best_coverage, broken_rules, hosted, tiny_studios

from scheduler import solve


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_studios())
def test_no_plan_breaks_a_hard_rule_and_coverage_is_optimal(studio):
    plan = solve(studio, time_limit=5.0)
    assert plan.summary.status == "OPTIMAL"
    assert broken_rules(studio, hosted(plan.assignments)) == []
    assert plan.summary.objective == best_coverage(studio)
    assert set(plan.unstaffed["slot_id"]) == set(plan.assignments.loc[plan.assignments["host_id"] == "", "slot_id"])
    assert (plan.unstaffed["reason"] != "").all()
