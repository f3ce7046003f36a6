"""`python -m metrics scorecard` and `python -m metrics sku-velocity`: the contract's two scorecard outputs."""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from contract.files import atomic_path, write_csv
from metrics.formulas import METRICS
from metrics.groups import SESSION_KEYS, check_keys, scorecard, scorecard_columns
from metrics.load import load_results
from metrics.velocity import VELOCITY_COLUMNS, sku_velocity, velocity_columns


def register(commands: argparse._SubParsersAction) -> None:
    """Add the scorecard and sku-velocity commands."""
    card = commands.add_parser(
        "scorecard", help="one row per group: the keys, then every scorecard metric",
        description="Read sessions.csv and sku_sales.csv from DIR and write the scorecard of each group.")
    _common(card, default_by="date")
    card.set_defaults(run=run_scorecard)

    velocity = commands.add_parser(
        "sku-velocity", help="units per live hour of each SKU, per period",
        description="Read sessions.csv and sku_sales.csv from DIR and write each SKU's units per live hour "
                    "over the sessions of the period in which it sold.")
    _common(velocity, default_by="week")
    velocity.add_argument("--flags", action="store_true",
                          help="add fast_mover and stalled (and stock columns when the studio has stock)")
    velocity.set_defaults(run=run_sku_velocity)


def _common(parser: argparse.ArgumentParser, default_by: str) -> None:
    parser.add_argument("--data", required=True, type=Path, help="folder with the studio's result files")
    parser.add_argument("--by", default=default_by,
                        help=f"comma list of keys from {', '.join(SESSION_KEYS)} (default {default_by})")
    parser.add_argument("--out", required=True, type=Path, help="file to write (.csv, or .parquet)")


def parse_keys(text: str) -> list[str]:
    """'date, host_id' -> ['date', 'host_id']; an unknown key is a ValueError naming the allowed ones."""
    return check_keys([k.strip() for k in text.split(",") if k.strip()], SESSION_KEYS + ("sku",))


def run_scorecard(args: argparse.Namespace) -> int:
    keys = parse_keys(args.by)
    # only the columns the scorecard reads, repeated ids as categoricals: a year of 100 shops loads in about a second
    results = load_results(args.data, viewer_minutes=False, columns=scorecard_columns(keys), compact=True)
    card = scorecard(results.sessions, results.sku_sales, keys)
    return _write(card[keys + list(METRICS)], args.out)


def run_sku_velocity(args: argparse.Namespace) -> int:
    keys = [k for k in parse_keys(args.by) if k != "sku"]
    results = load_results(args.data, viewer_minutes=False, columns=velocity_columns(keys), compact=True)
    table = sku_velocity(results.sessions, results.sku_sales, keys, inventory=results.inventory)
    if not args.flags:  # the contract's table: SKUs in the periods they sold in, no flag rows or columns
        table = table.loc[table["sessions"] > 0, keys + ["sku", *VELOCITY_COLUMNS]]
    return _write(table, args.out)


def _write(frame: pd.DataFrame, out: Path) -> int:
    """Write all at once (CSV, or Parquet by the suffix) and say where."""
    if out.suffix.lower() == ".parquet":
        with atomic_path(out) as temp:
            frame.to_parquet(temp, index=False)
    else:
        write_csv(frame, out)
    print(f"wrote {len(frame)} row(s) to {out}")
    return 0
