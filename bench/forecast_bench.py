"""Forecast benchmark: on generated studios, where the truth is known, how well the forecast learns it.

    python bench/forecast_bench.py            # three studio sizes, the sample's timing and a year of 100 shops
    python bench/forecast_bench.py --quick    # the smallest studio only
    python bench/forecast_bench.py --year-dir DIR   # reuse (or keep) the year of 100 shops written as CSV

Figures printed, one run:
- host effects: Spearman rank agreement of each host's effect with the generator's hidden skill, overall and
  within each tier, beside the raw fit's (GMV per live hour against the studio's) and beside the ceiling of
  judging hosts on GMV alone: the posterior mean of each host's GMV over the true value of the slots they
  streamed, as an estimator that knows every slot's true value and the spread of skills and noise would rank;
- backtest: the forecast's WAPE against the better of the two baselines, on the streams both predict, beside
  the noise floor: the WAPE of predicting each stream with its true expected GMV;
- plan value (at every size): the week solved three ways (the learned forecast and effects; the generator's
  expected_gmv with today's raw fit; the truth, the generator's slot value and hidden skill), each plan valued with
  the truth, and the learned plan's share of the oracle's;
- time: fitting and forecasting the sample studio, and a year of 100 shops (read from CSV, then fitted).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract.weeks import week_label  # noqa: E402
from forecast import fit_forecast  # noqa: E402
from forecast.backtest import backtest  # noqa: E402
from forecast.io import read_history  # noqa: E402
from forecast.raw_fit import raw_fit  # noqa: E402
from sample_data import generate  # noqa: E402
from scheduler import Settings, Studio, load_studio, solve  # noqa: E402
from scheduler.model import tier_weights  # noqa: E402
from scheduler.stages import build_instance, coverage_stages, later_stages, run_stages  # noqa: E402

SIZES = ((3, 25), (12, 150), (30, 400))  # the scheduler benchmark's studios: channels, hosts
SEED, HISTORY_WEEKS = 11, 8
PLAN_SECONDS = {3: 10.0, 12: 30.0, 30: 60.0}  # each of the three solves of the plan-value figure, by channels
BACKTEST_WEEKS = 4
YEAR = dict(seed=2026, channels=100, hosts=500, weeks=52)


def _frames(seed: int, channels: int, hosts: int, weeks: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    frames = generate.generate_studio(seed=seed, channels=channels, hosts=hosts, weeks=weeks, viewer_minutes=False)
    sessions = frames["sessions.csv"].copy()
    slots = pd.concat([frames["history/slots.csv"], frames["slots.csv"]], ignore_index=True)
    for frame in (sessions, slots):
        for column in ("start", "end"):
            frame[column] = pd.to_datetime(frame[column])
    return frames["hosts.csv"], sessions, slots


def per_host(effects: pd.DataFrame, value: str, weight: str) -> pd.Series:
    """One figure per host: the weighted geometric mean over the categories they sold."""
    logs = np.log(effects[value].to_numpy(dtype=float)) * effects[weight].to_numpy(dtype=float)
    frame = effects.assign(logs=logs)
    grouped = frame.groupby("host_id")[["logs", weight]].sum()
    return np.exp(grouped["logs"] / grouped[weight])


def agreement(truth: pd.DataFrame, learned: pd.Series, raw: pd.Series,
              ceiling: pd.Series) -> list[tuple[str, int, float, float, float]]:
    joined = (truth.join(learned.rename("learned"), on="host_id").join(raw.rename("raw"), on="host_id")
              .join(ceiling.rename("ceiling"), on="host_id").dropna())
    groups = [("overall", joined), *((f"tier {tier}", group) for tier, group in joined.groupby("tier"))]
    return [(label, len(group), *(spearmanr(group["skill"], group[column])[0]
                                  for column in ("learned", "raw", "ceiling"))) for label, group in groups]


def true_values(sessions: pd.DataFrame, slots: pd.DataFrame, skill: pd.DataFrame) -> pd.DataFrame:
    """Per stream, the truth: `slot`, what its slot sells with a skill-1 host (its expected_gmv for the minutes it
    was live, the weekly trend and the price mix of what the slot's product tier sells: each tier's mean ratio of
    GMV to the rest, a calibration the generator does not state), and `host`, its host's skill ** GMV_POWER
    (a guest's GUEST_SKILL, nobody's 1), so slot x host is the stream's true expected GMV."""
    slot = slots.drop_duplicates("slot_id", keep="last").set_index("slot_id").reindex(sessions["slot_id"])
    live = (sessions["end"] - sessions["start"]).to_numpy() / (slot["end"] - slot["start"]).to_numpy()
    week = ((slot["start"] - slot["start"].min().normalize()).dt.days // 7).to_numpy()
    on_roster = skill.set_index("host_id")["skill"]
    factor = sessions["host_id"].map(on_roster).to_numpy(dtype=float)
    nobody = sessions["host_id"].fillna("") == ""
    factor = np.where(np.isnan(factor), np.where(nobody, 1.0, generate.GUEST_SKILL), factor)
    value = slot["expected_gmv"].to_numpy(dtype=float) * live * generate.WEEKLY_TREND ** week
    host = factor ** generate.GMV_POWER
    tier = sessions["product_tier"].to_numpy()
    price_mix = pd.Series(sessions["gmv"].to_numpy() / (value * host)).groupby(tier).mean()
    return pd.DataFrame({"slot": value * price_mix.reindex(tier).to_numpy(), "host": host}, index=sessions.index)


def gmv_ceiling(sessions: pd.DataFrame, slot_value: pd.Series, skill: pd.DataFrame) -> pd.Series:
    """Per host: the posterior mean of their log GMV over the true slot value, with the true spread of their
    tier's skills as the prior and the streams' true noise: the best ranking GMV alone allows."""
    ratio = np.log(sessions["gmv"].clip(lower=0.01) / slot_value)
    truth = skill.set_index("host_id")
    streamed = sessions["host_id"].isin(truth.index).to_numpy()
    frame = pd.DataFrame({"host_id": sessions["host_id"][streamed], "ratio": ratio[streamed]})
    true_log = generate.GMV_POWER * np.log(truth["skill"])
    noise = float((frame["ratio"] - frame["host_id"].map(true_log)).var())
    per_host = frame.groupby("host_id")["ratio"].agg(["sum", "size"]).join(truth["tier"])
    prior = true_log.groupby(truth["tier"]).agg(["mean", "var"]).reindex(per_host["tier"])
    return pd.Series((per_host["sum"].to_numpy() / noise + prior["mean"].to_numpy() / prior["var"].to_numpy())
                     / (per_host["size"].to_numpy() / noise + 1 / prior["var"].to_numpy()), index=per_host.index)


def noise_floor(sessions: pd.DataFrame, truth: pd.DataFrame) -> float:
    """WAPE over the backtest's weeks of predicting every stream with its true expected GMV."""
    labels = sessions["start"].map(week_label)
    tested = labels.isin(sorted(labels.unique())[-BACKTEST_WEEKS:]).to_numpy()
    actual = sessions["gmv"].to_numpy()[tested]
    expected = (truth["slot"] * truth["host"]).to_numpy()[tested]
    return float(np.abs(expected - actual).sum() / actual.sum())


def effects_and_backtest(channels: int, hosts: int) -> None:
    roster, sessions, slots = _frames(SEED, channels, hosts, HISTORY_WEEKS)
    skill = generate.hidden_skill(SEED, channels, hosts)
    started = time.perf_counter()
    model = fit_forecast(sessions, roster, slots)
    seconds = time.perf_counter() - started
    learned = per_host(model.host_effects(), "effect", "sessions")
    raw = per_host(raw_fit(sessions, list(roster["host_id"]), 10.0), "fit", "live_hours")
    truth = true_values(sessions, slots, skill)
    print(f"\n## {channels} channels, {hosts} hosts, {HISTORY_WEEKS} weeks of results "
          f"({len(sessions):,} streams; fit {seconds:.2f} s)")
    print(f"{'hosts':<10} {'n':>4} {'effect':>8} {'raw fit':>8} {'GMV ceiling':>12}  goal")
    ceiling = gmv_ceiling(sessions, truth["slot"], skill)
    for label, count, ours, theirs, best in agreement(skill, learned, raw, ceiling):
        goal = 0.9 if label == "overall" else 0.8
        print(f"{label:<10} {count:>4} {ours:>8.3f} {theirs:>8.3f} {best:>12.3f}  "
              f">= {goal}: {'PASS' if ours >= goal else 'MISS'}")
    scores = {s.method: s for s in backtest(sessions, roster, slots, weeks=BACKTEST_WEEKS)}
    best = min(scores["same slot, last 4 weeks"].wape, scores["expected_gmv x raw fit"].wape)
    ours, floor = scores["forecast"].wape, noise_floor(sessions, truth)
    print(f"backtest, last {BACKTEST_WEEKS} weeks: forecast WAPE {ours:.1%} (bias {scores['forecast'].bias:+.1%}); "
          f"same slot {scores['same slot, last 4 weeks'].wape:.1%}; expected_gmv x raw fit "
          f"{scores['expected_gmv x raw fit'].wape:.1%}; {1 - ours / best:.0%} below the better baseline "
          f"(goal >= 20 %: {'PASS' if ours <= 0.8 * best else 'MISS'}); noise floor (the truth) {floor:.1%}, "
          f"{1 - floor / best:.0%} below the better baseline")


def plan_value(channels: int, hosts: int) -> None:
    """Solve the generated studio's planned week three ways and value each plan with the truth."""
    frames = generate.generate_studio(seed=SEED, channels=channels, hosts=hosts, weeks=HISTORY_WEEKS,
                                      viewer_minutes=False)
    with tempfile.TemporaryDirectory() as folder:
        generate.write_studio(frames, folder)
        typed = load_studio(folder)
    learned = Studio.from_frames(typed.hosts, typed.availability, typed.slots.assign(expected_gmv=np.nan),
                                 typed.sessions, past_slots=typed.past_slots)
    truth = true_fit(typed, generate.hidden_skill(SEED, channels, hosts))
    seconds = PLAN_SECONDS[channels]
    plans = {"learned forecast and effects": _solved(learned, Settings(), seconds),
             "expected_gmv x today's raw fit": _solved(typed, Settings(forecast_fit=False), seconds),
             "oracle (the generator's truth)": _oracle(typed, truth, seconds)}
    value = {label: _true_value(typed, truth, host_of) for label, host_of in plans.items()}
    oracle = value["oracle (the generator's truth)"]
    weights = tier_weights(typed, Settings())
    print(f"plan value of the {len(typed.slots)} planned slots, valued with the truth "
          f"({PLAN_SECONDS[channels]:g} s solves):")
    for label, host_of in plans.items():
        print(f"  {label:<32} {value[label]:>12,.0f}  {value[label] / oracle:>7.2%} of the oracle  "
              f"(coverage {weights[list(host_of)].sum():,}, {len(host_of)} slots staffed)")
    share = value["learned forecast and effects"] / oracle
    print(f"  learned / oracle {share:.2%} (goal >= 99 %: {'PASS' if share >= 0.99 else 'MISS'})")


def true_fit(studio: Studio, skill: pd.DataFrame) -> np.ndarray:
    """Slots x people: each host's true GMV multiplier (skill ** GMV_POWER over the roster's mean); 1 for
    assistants, who never host."""
    power = skill.set_index("host_id")["skill"] ** generate.GMV_POWER
    per_person = studio.hosts["host_id"].map(power / power.mean()).fillna(1.0).to_numpy(dtype=float)
    return np.tile(per_person, (len(studio.slots), 1))


def _solved(studio: Studio, settings: Settings, seconds: float) -> dict[int, int]:
    plan = solve(studio, settings, time_limit=seconds)
    slot_row = {s: i for i, s in enumerate(studio.slots["slot_id"])}
    staffed = plan.assignments[plan.assignments["host_id"] != ""]
    return {slot_row[s]: studio.host_index[h] for s, h in zip(staffed["slot_id"], staffed["host_id"])}


def _oracle(studio: Studio, truth: np.ndarray, seconds: float) -> dict[int, int]:
    """The plan the solver makes when it knows the truth: the same stages with the true fit."""
    instance = replace(build_instance(studio, Settings()), fit=truth)
    _, values = run_stages(instance, [*coverage_stages(instance), *later_stages(instance)], seconds,
                           time.monotonic(), 0, None)
    return {s: p for (s, p), v in values.items() if v and (s, p) in instance.model.hosts}


def _true_value(studio: Studio, truth: np.ndarray, host_of: dict[int, int]) -> float:
    """What the plan sells in truth: each staffed slot's value with a skill-1 host times its host's true fit."""
    gmv = studio.slots["expected_gmv"].to_numpy(dtype=float)
    return float(sum(gmv[s] * truth[s, p] for s, p in host_of.items()))


def timing(label: str, folder: Path) -> None:
    started = time.perf_counter()
    history = read_history(folder)
    read = time.perf_counter() - started
    model = fit_forecast(history.sessions, history.hosts, history.known_slots)
    fitted = time.perf_counter() - started
    model.slot_values(history.slots)
    model.host_effects()
    total = time.perf_counter() - started
    streams = 0 if history.sessions is None else len(history.sessions)
    print(f"{label}: {streams:,} streams, {len(history.slots):,} slots to forecast: read {read:.2f} s, "
          f"fit {fitted - read:.2f} s, forecast {total - fitted:.2f} s, total {total:.2f} s")


def year_folder(keep: Path | None) -> Path:
    folder = keep or Path("bench/out/forecast_year")
    if not (folder / "sessions.csv").exists():
        print(f"writing a year of 100 shops to {folder} (a few minutes, once)")
        frames = generate.generate_studio(viewer_minutes=False, **YEAR)
        generate.write_studio({k: v for k, v in frames.items()
                      if k in ("hosts.csv", "slots.csv", "sessions.csv", "history/slots.csv")}, folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smallest studio only, no year of 100 shops")
    parser.add_argument("--year-dir", type=Path, help="folder for the year of 100 shops (kept between runs)")
    args = parser.parse_args(argv)
    for channels, hosts in SIZES[:1] if args.quick else SIZES:
        effects_and_backtest(channels, hosts)
        plan_value(channels, hosts)
    print("\n## Time (goals: the sample <= 1 s, a year of 100 shops <= 10 s)")
    timing("sample studio", Path("sample_data/studio"))
    if not args.quick:
        timing("a year of 100 shops", year_folder(args.year_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
