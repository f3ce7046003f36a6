"""The studio's scheduling settings: the contract's defaults in one frozen object."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """Numbers a studio may change; defaults are the data contract's."""

    tier_table: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {
        "hero": ("A",), "core": ("A", "B"), "longtail": ("A", "B", "C")})
    tier_weights: Mapping[str, int] = field(default_factory=lambda: {
        "hero": 100, "core": 10, "longtail": 1})
    changeover_minutes: int = 30
    overnight_rest_hours: float = 10.0
    max_daily_hours: float = 6.0
    time_zone: str = "America/Los_Angeles"
    currency: str = "USD"
    forecast_expected_gmv: bool = True  # an empty expected_gmv is forecast from results (else it counts as 0)
    forecast_fit: bool = True  # a host's fit is the forecast's host effect (else raw GMV per hour, shrunk)
    fit_prior_hours: float = 10.0  # live hours of history at which a host's own record counts half
    workers: int = 2  # threads: the weeks of a longer horizon are solved side by side; --race workers
    deterministic: bool = True  # reproducible one-worker search per stage; False lets `workers` workers race
    work_per_second: float = 0.1  # CP-SAT deterministic work units per second of time limit. A one-worker
    # search does 0.1-0.5 units per CPU second on these models, so the work budget, not the clock, ends a
    # stage and runs repeat exactly on a busy machine; a larger value lets the clock cut a stage short under
    # load, and runs differ (bench/README.md).

    def __hash__(self) -> int:  # the tables are dicts; hash their items so Settings can key a cache
        return hash((tuple(sorted((k, tuple(v)) for k, v in self.tier_table.items())),
                     tuple(sorted(self.tier_weights.items())), self.changeover_minutes, self.overnight_rest_hours,
                     self.max_daily_hours, self.time_zone, self.currency, self.forecast_expected_gmv,
                     self.forecast_fit, self.fit_prior_hours, self.workers,
                     self.deterministic, self.work_per_second))

    @property
    def changeover_seconds(self) -> int:
        return int(round(self.changeover_minutes * 60))

    @property
    def rest_seconds(self) -> int:
        return int(round(self.overnight_rest_hours * 3600))

    @property
    def max_daily_minutes(self) -> int:
        return int(self.max_daily_hours * 60 + 1e-9)
