"""Forecast benchmark: on generated studios, where the truth is known, how well the forecast learns it.

    python bench/forecast_bench.py            # three studio sizes, the sample's timing and a year of 100 shops
    python bench/forecast_bench.py --quick    # the smallest studio only
    python bench/forecast_bench.py --year-dir DIR   # reuse (or keep) the year of 100 shops written as CSV

Figures printed, one run:
- host effects: Spearman rank agreement of each host's effect with the generator's hidden skill, overall and
  within each tier, beside the raw fit's (GMV per live hour against the studio's);
- backtest: the forecast's WAPE against the better of the two baselines, on the streams both predict;
- time: fitting and forecasting the sample studio, and a year of 100 shops (read from CSV, then fitted).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecast import fit_forecast  # noqa: E402
from forecast.backtest import backtest  # noqa: E402
from forecast.io import read_history  # noqa: E402
from forecast.raw_fit import raw_fit  # noqa: E402
from sample_data.generate import generate_studio, make_channels, make_hosts, make_products, write_studio  # noqa: E402

SIZES = ((3, 25), (12, 150), (30, 400))  # the scheduler benchmark's studios: channels, hosts
SEED, HISTORY_WEEKS = 11, 8
YEAR = dict(seed=2026, channels=100, hosts=500, weeks=52)


def hidden_skill(seed: int, channels: int, hosts: int) -> pd.DataFrame:
    """The generator's hidden skill per roster host, drawn from the same random streams `generate_studio` uses."""
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(13)]
    shops = make_channels(streams[0], channels)
    make_products(streams[1], shops)
    roster, _, skill = make_hosts(streams[2], shops, hosts)
    on_air = roster[roster["role"] == "host"].reset_index(drop=True)
    return pd.DataFrame({"host_id": on_air["host_id"], "tier": on_air["tier"], "skill": skill[:len(on_air)]})


def _frames(seed: int, channels: int, hosts: int, weeks: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    frames = generate_studio(seed=seed, channels=channels, hosts=hosts, weeks=weeks, viewer_minutes=False)
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


def agreement(truth: pd.DataFrame, learned: pd.Series, raw: pd.Series) -> list[tuple[str, int, float, float]]:
    joined = truth.join(learned.rename("learned"), on="host_id").join(raw.rename("raw"), on="host_id").dropna()
    rows = [("overall", len(joined), spearmanr(joined["skill"], joined["learned"])[0],
             spearmanr(joined["skill"], joined["raw"])[0])]
    for tier, group in joined.groupby("tier"):
        rows.append((f"tier {tier}", len(group), spearmanr(group["skill"], group["learned"])[0],
                     spearmanr(group["skill"], group["raw"])[0]))
    return rows


def effects_and_backtest(channels: int, hosts: int) -> None:
    roster, sessions, slots = _frames(SEED, channels, hosts, HISTORY_WEEKS)
    started = time.perf_counter()
    model = fit_forecast(sessions, roster, slots)
    seconds = time.perf_counter() - started
    learned = per_host(model.host_effects(), "effect", "sessions")
    raw = per_host(raw_fit(sessions, list(roster["host_id"]), 10.0), "fit", "live_hours")
    print(f"\n## {channels} channels, {hosts} hosts, {HISTORY_WEEKS} weeks of results "
          f"({len(sessions):,} streams; fit {seconds:.2f} s)")
    print(f"{'hosts':<10} {'n':>4} {'effect':>8} {'raw fit':>8}  goal")
    for label, count, ours, theirs in agreement(hidden_skill(SEED, channels, hosts), learned, raw):
        goal = 0.9 if label == "overall" else 0.8
        print(f"{label:<10} {count:>4} {ours:>8.3f} {theirs:>8.3f}  >= {goal}: {'PASS' if ours >= goal else 'MISS'}")
    scores = {s.method: s for s in backtest(sessions, roster, slots, weeks=4)}
    best = min(scores["same slot, last 4 weeks"].wape, scores["expected_gmv x raw fit"].wape)
    ours = scores["forecast"].wape
    print(f"backtest, last 4 weeks: forecast WAPE {ours:.1%} (bias {scores['forecast'].bias:+.1%}); "
          f"same slot {scores['same slot, last 4 weeks'].wape:.1%}; expected_gmv x raw fit "
          f"{scores['expected_gmv x raw fit'].wape:.1%}; {1 - ours / best:.0%} below the better baseline "
          f"(goal >= 20 %: {'PASS' if ours <= 0.8 * best else 'MISS'})")


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
        frames = generate_studio(viewer_minutes=False, **YEAR)
        write_studio({k: v for k, v in frames.items()
                      if k in ("hosts.csv", "slots.csv", "sessions.csv", "history/slots.csv")}, folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smallest studio only, no year of 100 shops")
    parser.add_argument("--year-dir", type=Path, help="folder for the year of 100 shops (kept between runs)")
    args = parser.parse_args(argv)
    for channels, hosts in SIZES[:1] if args.quick else SIZES:
        effects_and_backtest(channels, hosts)
    print("\n## Time (goals: the sample <= 1 s, a year of 100 shops <= 10 s)")
    timing("sample studio", Path("sample_data/studio"))
    if not args.quick:
        timing("a year of 100 shops", year_folder(args.year_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
