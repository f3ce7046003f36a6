"""The studio's scheduling settings: the contract's defaults in one frozen object, and the rules a studio may
change (`RULES`) as the text a settings file or the Settings page holds, each checked with a message a person
can act on."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from contract import PRODUCT_TIERS, TIERS, DataError, Problem, read_raw


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


SETTINGS_FILE = "settings.csv"
WHERE = "Settings → Scheduling rules"
HOST_FIT = {"forecast": True, "raw": False}  # the host_fit rule's words -> Settings.forecast_fit


@dataclass(frozen=True)
class Rule:
    """One rule a studio may change: its key in settings.csv, its label and sentence on the Settings page, and
    for a number the range a studio could mean (a typo like 300 hours of rest is refused, not planned with)."""

    key: str
    label: str
    explanation: str
    kind: str  # "tiers" (a | list of host tiers), "number", "whole" or "host_fit"
    minimum: float = 0
    maximum: float = 0


def _tiers_rule(tier: str, who: str) -> Rule:
    return Rule(f"{tier}_host_tiers", f"Who may host {tier} shows",
                f"The host tiers that may take a {tier} slot ({who}); at least one.", "tiers")


def _weight_rule(tier: str) -> Rule:
    return Rule(f"{tier}_weight", f"Weight of a {tier} show",
                f"How much staffing a {tier} slot counts when not every slot can be staffed: the plan fills the "
                "heavier slots first.", "whole", 1, 10_000)


RULES: tuple[Rule, ...] = (
    _tiers_rule("hero", "the products you push hardest"), _tiers_rule("core", "the regular range"),
    _tiers_rule("longtail", "everything else"),
    _weight_rule("hero"), _weight_rule("core"), _weight_rule("longtail"),
    Rule("changeover_minutes", "Changeover (minutes)",
         "The least break a host gets between the end of one stream and the start of the next.", "whole", 0, 240),
    Rule("overnight_rest_hours", "Overnight rest (hours)",
         "The least time between a host's last stream of one day and their first stream of another day.",
         "number", 0, 24),
    Rule("max_daily_hours", "Live hours per day",
         "The most live hours a host streams in the streams that start on one day.", "number", 0.5, 24),
    Rule("host_fit", "How a host's fit is judged",
         "forecast: against what others sold in comparable slots; raw: the host's GMV per live hour against "
         "the studio's.", "host_fit"),
    Rule("fit_prior_hours", "Fit prior (live hours)",
         "With raw fit, the live hours of results at which a host's own record counts for half of their fit; "
         "fewer trusts a short record sooner.", "number", 0, 1_000),
)
RULE_KEYS = tuple(rule.key for rule in RULES)


def rule_values(settings: Settings) -> dict[str, str]:
    """Every rule of `settings` as the text settings.csv and the Settings page hold."""
    values = {f"{t}_host_tiers": "|".join(settings.tier_table.get(t, ())) for t in PRODUCT_TIERS}
    values |= {f"{t}_weight": f"{settings.tier_weights.get(t, 0):g}" for t in PRODUCT_TIERS}
    values |= {"changeover_minutes": f"{settings.changeover_minutes:g}",
               "overnight_rest_hours": f"{settings.overnight_rest_hours:g}",
               "max_daily_hours": f"{settings.max_daily_hours:g}",
               "host_fit": "forecast" if settings.forecast_fit else "raw",
               "fit_prior_hours": f"{settings.fit_prior_hours:g}"}
    return values


def rule_problems(values: Mapping[str, str]) -> dict[str, str]:
    """key -> what is wrong with its value, for every key of `values` that is not a rule or holds a bad value."""
    rules = {rule.key: rule for rule in RULES}
    problems = {}
    for key, text in values.items():
        rule = rules.get(key)
        problem = (f"'{key}' is not a scheduling rule; the rules are {', '.join(RULE_KEYS)}" if rule is None
                   else _value_problem(rule, str(text).strip()))
        if problem:
            problems[key] = problem
    return problems


def _value_problem(rule: Rule, text: str) -> str:
    if rule.kind == "tiers":
        tiers = [t.strip() for t in text.split("|") if t.strip()]
        unknown = [t for t in tiers if t not in TIERS]
        if unknown:
            return f"'{text}' is not a | list of host tiers {', '.join(TIERS)} (e.g. A|B)"
        if tiers:
            return ""
        product_tier = rule.key.removesuffix("_host_tiers")
        return f"needs at least one host tier ({', '.join(TIERS)}), or no {product_tier} slot could ever be staffed"
    if rule.kind == "host_fit":
        return "" if text in HOST_FIT else f"'{text}' is not one of {', '.join(HOST_FIT)}"
    try:
        number = float(text.replace(",", ".")) if text else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or (rule.kind == "whole" and number != int(number)):
        return f"'{text}' is not {'a whole number' if rule.kind == 'whole' else 'a number'}"
    if not rule.minimum <= number <= rule.maximum:
        return f"{text} is outside {rule.minimum:g} to {rule.maximum:,g}"
    return ""


def with_rules(settings: Settings, values: Mapping[str, str]) -> Settings:
    """`settings` with the rules of `values` (text as `rule_values` writes it) in place; a bad key or value is
    a ValueError naming each (`rule_problems` says which)."""
    problems = rule_problems(values)
    if problems:
        raise ValueError("; ".join(f"{key}: {problem}" for key, problem in problems.items()))
    text = {key: str(value).strip() for key, value in values.items()}
    tiers = {t: tuple(x.strip() for x in text[f"{t}_host_tiers"].split("|") if x.strip())
             for t in PRODUCT_TIERS if f"{t}_host_tiers" in text}
    weights = {t: int(float(text[f"{t}_weight"])) for t in PRODUCT_TIERS if f"{t}_weight" in text}
    def number(key: str, default: float) -> float:
        return float(text[key].replace(",", ".")) if key in text else default

    return replace(settings, tier_table={**settings.tier_table, **tiers},
                   tier_weights={**settings.tier_weights, **weights},
                   changeover_minutes=int(number("changeover_minutes", settings.changeover_minutes)),
                   overnight_rest_hours=number("overnight_rest_hours", settings.overnight_rest_hours),
                   max_daily_hours=number("max_daily_hours", settings.max_daily_hours),
                   fit_prior_hours=number("fit_prior_hours", settings.fit_prior_hours),
                   forecast_fit=HOST_FIT[text["host_fit"]] if "host_fit" in text else settings.forecast_fit)


def read_settings_file(path: Path | str, settings: Settings = Settings()) -> Settings:
    """`settings` with the rules of a settings.csv (`key,value`, one rule a row; a rule left out keeps its
    default); a bad key or value is a DataError naming the file, row and column."""
    path = Path(path)
    raw = read_raw(path)
    missing = [c for c in ("key", "value") if c not in {str(n).strip() for n in raw.columns}]
    if missing:
        raise DataError([Problem(path.name, None, ", ".join(missing), "required column(s) missing; "
                                 "settings.csv has the columns key, value")])
    raw = raw.rename(columns=lambda c: str(c).strip())
    keys, values = raw["key"].astype("str").str.strip(), raw["value"].astype("str").str.strip()
    found = []
    for row, (key, value) in enumerate(zip(keys, values), start=2):
        problem = rule_problems({key: value}).get(key)
        if problem:
            found.append(Problem(path.name, row, "key" if key not in RULE_KEYS else "value", problem))
    found += [Problem(path.name, row, "key", f"'{key}' appears more than once; give each rule one row")
              for row, key in _repeats(keys)]
    if found:
        raise DataError(found)
    return with_rules(settings, dict(zip(keys, values)))


def _repeats(keys: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    repeats = []
    for row, key in enumerate(keys, start=2):
        if key in seen:
            repeats.append((row, key))
        seen.add(key)
    return repeats
