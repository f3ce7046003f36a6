"""`python -m scheduler ...`: staff next week's slots, re-plan after a call-out, rank who could cover a slot,
check a hand-edited plan."""
from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from contract import DataError, Problem, read_raw
from contract.cli import positive_seconds, run_command
from contract.files import write_csv
from contract.when import datetime_option, week_option
from scheduler.calendar import ISO, folder_week
from scheduler.check import check_assignments
from scheduler.cover import cover, cover_assistant
from scheduler.io import load_studio
from scheduler.locks import LockError
from scheduler.replan import CallOut, replan
from scheduler.settings import SETTINGS_FILE, Settings, read_settings_file
from scheduler.solution import Solution
from scheduler.solver import solve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scheduler", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("solve", help="staff the slots of slots.csv and write assignments.csv")
    run.add_argument("--data", required=True, type=Path, help="folder with hosts.csv, availability.csv, slots.csv")
    run.add_argument("--out", required=True, type=Path, help="assignments.csv to write")
    _solver_options(run)
    run.add_argument("--ics", type=Path, help="folder for one iCalendar file per host")
    run.add_argument("--assistants-out", type=Path, help="CSV of assistant positions (slot_id, assistant_id)")
    run.set_defaults(run=_solve)

    again = commands.add_parser("replan", help="re-plan after a host calls out; prints what moved")
    again.add_argument("--data", required=True, type=Path)
    again.add_argument("--plan", required=True, type=Path, help="the current assignments.csv")
    again.add_argument("--host", required=True, help="host_id of the host who called out")
    again.add_argument("--from", dest="start", required=True, type=datetime_option,
                       help="local time from which the host is out, e.g. 2026-12-10T12:00")
    again.add_argument("--to", dest="end", required=True, type=_call_out_end,
                       help="local time the host is back, e.g. 2026-12-10T23:59, or 'end' for the rest of the plan")
    again.add_argument("--slots", help="comma list of slot ids (only these slots are affected)")
    again.add_argument("--out", required=True, type=Path)
    _solver_options(again)
    again.set_defaults(run=_replan)

    cover_slot = commands.add_parser("cover", help="rank the hosts who could take one slot of a plan without "
                                                   "breaking a hard rule, best first")
    cover_slot.add_argument("--data", required=True, type=Path)
    cover_slot.add_argument("--plan", required=True, type=Path, help="the current assignments.csv")
    cover_slot.add_argument("--slot", required=True, help="slot_id of the slot to cover")
    cover_slot.add_argument("--assistant", help="an assistant's id: rank the assistants who could take their place "
                                                "on the slot instead (needs --assistants)")
    cover_slot.add_argument("--assistants", type=Path, help="the plan's assistants.csv (slot_id, assistant_id)")
    cover_slot.add_argument("--top", type=_positive_count, help="list at most N candidates")
    cover_slot.add_argument("--out", type=Path, help="CSV of the candidates to write (else they are printed)")
    _settings_option(cover_slot)
    cover_slot.set_defaults(run=_cover)

    check = commands.add_parser("check", help="list hard-rule violations of a plan; exit 1 if any")
    check.add_argument("--data", required=True, type=Path)
    check.add_argument("--plan", required=True, type=Path)
    _settings_option(check)
    check.set_defaults(run=_check)

    week = commands.add_parser("slots", help="write one ISO week's slots.csv from show_templates.csv (and the "
                                             "week's one-offs and cancellations of calendar_changes.csv)")
    week.add_argument("--data", required=True, type=Path, help="folder with show_templates.csv")
    week.add_argument("--week", required=True, type=week_option, help="ISO week, e.g. 2026-W50")
    week.add_argument("--out", required=True, type=Path, help="slots.csv to write")
    _settings_option(week)
    week.set_defaults(run=_slots)
    return parser


def _settings_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--settings", type=Path, help=f"{SETTINGS_FILE} of the studio's scheduling rules (key,value "
                                                      "rows; a rule left out keeps the contract's default)")


def _solver_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--time-limit", type=positive_seconds, default=10.0,
                        help="seconds for the whole solve (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--race", action="store_true",
                        help="let CP-SAT's parallel workers race: not reproducible, and on the benchmark studios "
                             "no better than the default one-worker search (a month's weeks already use both cores)")
    _settings_option(parser)


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is a message on stderr and exit code 2, never a traceback."""
    return run_command(build_parser(), argv, headlines={LockError: "a locked assignment breaks a hard rule"})


def _settings(args: argparse.Namespace) -> Settings:
    """The contract's defaults with the rules of --settings; --race lets the solver's workers race."""
    settings = Settings(deterministic=not getattr(args, "race", False))
    return read_settings_file(args.settings, settings) if args.settings else settings


def _solve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    studio = load_studio(args.data, settings)
    if studio.slots.empty:
        print("slots.csv has no slots: nothing to staff; writing an assignments file with the header only",
              file=sys.stderr)
    plan = solve(studio, settings, time_limit=args.time_limit, seed=args.seed)
    calendars: dict[str, bytes] = {}
    if args.ics:
        from scheduler.ics import host_calendars, write_calendars  # here: a solve without --ics never loads icalendar

        calendars = host_calendars(studio, plan.assignments, settings, datetime.now(UTC))
    write_csv(plan.assignments, args.out)
    if args.assistants_out:
        write_csv(plan.assistants, args.assistants_out)
    if args.ics:
        write_calendars(calendars, args.ics)
    _print_plan(plan)
    print(f"wrote {args.out}" + (f" and {len(calendars)} calendar(s) to {args.ics}" if args.ics else ""))
    return 0


def _replan(args: argparse.Namespace) -> int:
    settings = _settings(args)
    studio = load_studio(args.data, settings)
    previous = _read_plan(args.plan)
    slot_ids = tuple(s.strip() for s in args.slots.split(",") if s.strip()) if args.slots else None
    plan = replan(studio, previous, CallOut(args.host, args.start, slot_ids, args.end), settings,
                  time_limit=args.time_limit, seed=args.seed)
    write_csv(plan.assignments, args.out)
    print(f"{len(plan.moved)} slot(s) changed host:")
    for row in plan.moved.itertuples():
        print(f"  {row.slot_id}: {row.old_host_id or '(open)'} -> {row.new_host_id or '(open)'}")
    _print_plan(plan)
    print(f"wrote {args.out}")
    return 0


def _call_out_end(text: str) -> pd.Timestamp | None:
    """--to: a local time, or 'end' (None) when the host is out for the rest of the plan."""
    return None if text.strip().lower() == "end" else datetime_option(text)


def _positive_count(text: str) -> int:
    """--top: a whole number of at least 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1, like 5")
    return int(text)


def _cover(args: argparse.Namespace) -> int:
    settings = _settings(args)
    studio = load_studio(args.data, settings)
    if (args.assistant is None) != (args.assistants is None):
        raise ValueError("--assistant and --assistants go together: the assistant leaving the slot, and the plan's "
                         "assistants file")
    if args.assistant is not None:
        candidates = cover_assistant(studio, _read_plan(args.plan), read_raw(args.assistants), args.slot,
                                     args.assistant.strip(), settings, top=args.top, plan_file=args.plan.name,
                                     assistants_file=args.assistants.name)
    else:
        candidates = cover(studio, _read_plan(args.plan), args.slot, settings, top=args.top, plan_file=args.plan.name)
    if args.out:
        write_csv(candidates, args.out)
    for rank, gmv, line in zip(candidates["rank"], candidates["expected_gmv"], candidates["what_changes"]):
        print(f"{rank}. {gmv:.2f} expected: {line}")
    who = "assistant(s)" if args.assistant is not None else "host(s)"
    print(f"{len(candidates)} {who} could cover {args.slot}" + (f"; wrote {args.out}" if args.out else ""))
    return 0


def _check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    studio = load_studio(args.data, settings)
    plan = _read_plan(args.plan)
    violations = check_assignments(studio, plan, settings)
    for v in violations:
        print(f"{v.slot_id} {v.host_id or '-'} [{v.rule}] {v.message}")
    print(f"{len(violations)} violation(s)" if violations else "no hard rule is broken")
    return 1 if violations else 0


def _slots(args: argparse.Namespace) -> int:
    slots = folder_week(args.data, args.week, _settings(args))
    write_csv(slots.assign(start=slots["start"].dt.strftime(ISO), end=slots["end"].dt.strftime(ISO)), args.out)
    print(f"{len(slots)} slot(s) in {args.week}; wrote {args.out}")
    return 0


def _read_plan(path: Path) -> pd.DataFrame:
    """An assignments.csv as text cells; it needs slot_id and host_id."""
    plan = read_raw(path)
    missing = {"slot_id", "host_id"} - set(plan.columns)
    if missing:
        raise DataError([Problem(path.name, None, ", ".join(sorted(missing)), "required column(s) missing")])
    return plan


def _print_plan(plan: Solution) -> None:
    print(plan.summary.to_text())
    if not plan.unstaffed.empty:
        print(f"unstaffed slots ({len(plan.unstaffed)}):")
        for row in plan.unstaffed.itertuples():
            print(f"  {row.slot_id} {row.channel} {row.start:%a %d %b %H:%M} {row.product_tier}: {row.reason}")
