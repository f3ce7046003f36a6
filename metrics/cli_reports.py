"""`python -m metrics weekly | daily | tier-review`: the scorecard reports from a terminal.

The report modules are imported inside each command so that `python -m metrics scorecard`
does not pay for loading plotly and openpyxl.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from contract.when import date_option, week_option


def register(commands: argparse._SubParsersAction) -> None:
    """Add the report commands to `python -m metrics`."""
    weekly = commands.add_parser("weekly", help="weekly leadership scorecard as .html or .xlsx")
    weekly.add_argument("--data", required=True, type=Path, help="folder with sessions.csv, sku_sales.csv, ...")
    weekly.add_argument("--week", required=True, type=week_option, help="ISO week such as 2026-W48")
    weekly.add_argument("--out", required=True, type=Path, help="report file ending in .html or .xlsx")
    weekly.add_argument("--studio", default="Livestream studio", help="studio name in the report header")
    weekly.set_defaults(run=run_weekly)

    daily = commands.add_parser("daily", help="daily scorecard against the trailing 7 days")
    daily.add_argument("--data", required=True, type=Path)
    daily.add_argument("--date", required=True, type=date_option, help="studio day such as 2026-11-23")
    daily.add_argument("--out", type=Path, help="optional .csv (KPIs) or .xlsx (every table)")
    daily.set_defaults(run=run_daily)

    review = commands.add_parser("tier-review", help="propose host tier changes and write a new hosts.csv")
    review.add_argument("--data", required=True, type=Path, help="folder with hosts.csv and the results")
    review.add_argument("--weeks", type=int, default=4, help="weeks of results to judge (default 4)")
    review.add_argument("--week", type=week_option,
                        help="last week judged, e.g. 2026-W48 (default: the latest week with data)")
    review.add_argument("--out", required=True, type=Path, help="new hosts.csv with the proposed tiers")
    review.set_defaults(run=run_tier_review)


def run_weekly(args: argparse.Namespace) -> int:
    from forecast.io import read_known_slots
    from metrics import export, load_results
    from metrics.settings import ScorecardSettings
    from metrics.weekly import weekly_scorecard

    settings = ScorecardSettings(studio_name=args.studio)
    writer = export.weekly_writer(args.out, settings)
    results = load_results(args.data)
    card = weekly_scorecard(results, args.week, settings, hosts=_optional_hosts(args.data),
                            slots=read_known_slots(args.data))
    writer(card)
    print(f"wrote the {card.week} scorecard to {args.out}")
    return 0


def run_daily(args: argparse.Namespace) -> int:
    import pandas as pd

    from forecast.io import read_known_slots
    from metrics import export, load_results
    from metrics.daily import daily_scorecard
    from metrics.effects import forecast_before
    from metrics.settings import ScorecardSettings

    day = args.date.isoformat()
    writer = export.daily_writer(args.out) if args.out else None
    settings = ScorecardSettings()
    results = load_results(args.data)
    hosts, slots = _optional_hosts(args.data), read_known_slots(args.data)
    card = daily_scorecard(results, day, settings, hosts=hosts, slots=slots,
                           model=forecast_before(results.sessions, hosts, pd.Timestamp(day), slots))
    print(export.daily_text(card, settings))
    if card.empty:
        return 1
    if writer is not None:
        writer(card)
        print(f"wrote the {card.date} scorecard to {args.out}")
    return 0


def run_tier_review(args: argparse.Namespace) -> int:
    import contract
    from contract.files import write_csv
    from forecast.io import read_known_slots
    from metrics import load_results
    from metrics.settings import ScorecardSettings
    from metrics.tiers import apply_tier_review, tier_review

    if args.weeks < 1:
        raise ValueError(f"--weeks must be at least 1, got {args.weeks}")
    raw_hosts = contract.read_raw(args.data / "hosts.csv")
    hosts = contract.parse_table(raw_hosts, contract.HOSTS)
    settings = ScorecardSettings()
    review = tier_review(load_results(args.data), hosts, weeks=args.weeks, end_week=args.week, settings=settings,
                         slots=read_known_slots(args.data))
    write_csv(apply_tier_review(raw_hosts, review), args.out)
    for row in review[review["change"] != "keep"].itertuples():
        print(f"{row.change:7} {row.name} ({row.host_id}) {row.current_tier} -> {row.proposed_tier}: {row.reason}")
    kept = int((review["change"] == "keep").sum())
    print(f"{len(review) - kept} tier change(s), {kept} kept; wrote {args.out}")
    return 0


def _optional_hosts(data: Path):
    """hosts.csv gives names and tiers to the report; without it hosts are shown by id."""
    import contract

    path = data / "hosts.csv"
    return contract.read_table(path, contract.HOSTS) if path.exists() else None
