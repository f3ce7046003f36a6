"""`python -m forecast ...`: what each host adds, what each slot is worth, and how well that predicts."""
from __future__ import annotations

import argparse
import math
from pathlib import Path

from contract.cli import run_command
from contract.files import write_csv
from forecast.backtest import backtest
from forecast.golive import suggestions, support
from forecast.io import read_history
from forecast.model import ForecastSettings, fit_forecast

SLOT_COLUMNS = ["slot_id", "channel", "start", "end", "product_tier", "category"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m forecast", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    hosts = commands.add_parser("hosts", help="each host's effect per category, with its 80 %% interval")
    hosts.add_argument("--data", required=True, type=Path, help="folder with hosts.csv, slots.csv, sessions.csv")
    hosts.add_argument("--out", required=True, type=Path)
    hosts.set_defaults(run=_hosts)
    slots = commands.add_parser("slots", help="each slot's expected GMV with an average host, with its interval")
    slots.add_argument("--data", required=True, type=Path)
    slots.add_argument("--out", required=True, type=Path)
    slots.set_defaults(run=_slots)
    live = commands.add_parser("go-live", help="each slot's expected GMV at its time and, where history supports "
                                               "it, a free hour of its day that sells clearly more")
    live.add_argument("--data", required=True, type=Path)
    live.add_argument("--out", required=True, type=Path)
    live.set_defaults(run=_go_live)
    test = commands.add_parser("backtest", help="rolling-origin WAPE and bias beside two baselines")
    test.add_argument("--data", required=True, type=Path)
    test.add_argument("--weeks", type=_weeks, default=4, help="how many of the last weeks to predict (default 4)")
    test.set_defaults(run=_backtest)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is a message on stderr and exit code 2, never a traceback."""
    return run_command(build_parser(), argv)


def _weeks(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of weeks such as 4")
    return int(text)


def _hosts(args: argparse.Namespace) -> int:
    history = read_history(args.data)
    model = fit_forecast(history.sessions, history.hosts, history.known_slots, ForecastSettings())
    effects = model.host_effects().round({"effect": 4, "low": 4, "high": 4, "live_hours": 2})
    write_csv(effects, args.out)
    print(f"wrote {args.out}: {len(effects)} host-category effect(s)"
          + ("" if not model.empty else " (no results yet: every host counts as average)"))
    return 0


def _slots(args: argparse.Namespace) -> int:
    history = read_history(args.data)
    model = fit_forecast(history.sessions, history.hosts, history.known_slots, ForecastSettings())
    values = model.slot_values(history.slots).round(2)
    table = history.slots[SLOT_COLUMNS].assign(start=history.slots["start"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
                                               end=history.slots["end"].dt.strftime("%Y-%m-%dT%H:%M:%S"))
    write_csv(table.join(values), args.out)
    print(f"wrote {args.out}: {len(table)} slot(s)" + ("" if not model.empty else " (no results yet: forecast 0)"))
    return 0


def _go_live(args: argparse.Namespace) -> int:
    history = read_history(args.data)
    model = fit_forecast(history.sessions, history.hosts, history.known_slots, ForecastSettings())
    cells, per_channel = support(history.sessions, history.known_slots, history.hosts)
    found = suggestions(model, history.slots, cells, per_channel)
    times = {c: found[c].dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("") for c in ("start", "end", "better_start")}
    write_csv(found.assign(**times).round(2), args.out)
    better = int(found["better_start"].notna().sum())
    print(f"wrote {args.out}: {len(found)} of {len(history.slots)} slot(s) with history behind their time, "
          f"{better} that would sell clearly more at another free hour of their day")
    return 0


def _backtest(args: argparse.Namespace) -> int:
    history = read_history(args.data)
    if history.sessions is None or history.sessions.empty:
        raise ValueError(f"{args.data / 'sessions.csv'}: no results to backtest on")
    print(f"{'method':<26} {'streams':>8} {'WAPE':>8} {'bias':>8}")
    for score in backtest(history.sessions, history.hosts, history.known_slots, args.weeks):
        wape = "-" if math.isnan(score.wape) else f"{score.wape:.1%}"
        bias = "-" if math.isnan(score.bias) else f"{score.bias:+.1%}"
        print(f"{score.method:<26} {score.streams:>8} {wape:>8} {bias:>8}")
    return 0
