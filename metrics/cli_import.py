"""`python -m metrics import-tiktok`: turn TikTok Shop's LIVE performance export into sessions.csv.

The importer is imported inside the command so other commands do not pay for openpyxl.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

import contract
from contract.plan import ASSIGNMENTS, read_plan

if TYPE_CHECKING:
    from metrics.tiktok import TikTokExport


def register(commands: argparse._SubParsersAction) -> None:
    """Add `import-tiktok` to `python -m metrics`."""
    tiktok = commands.add_parser("import-tiktok",
                                 help="read a TikTok Shop Creator-Live-Performance .xlsx into sessions.csv")
    tiktok.add_argument("file", type=Path, help="Creator-Live-Performance_<timestamp>.xlsx")
    tiktok.add_argument("--channel", required=True, help="the shop the export belongs to (one file is one shop)")
    tiktok.add_argument("--plan", type=Path,
                        help="folder with the published slots.csv and assignments.csv, to attribute hosts")
    tiktok.add_argument("--out", required=True, type=Path, help="sessions.csv to write")
    tiktok.add_argument("--merge", action="store_true",
                        help="keep the sessions already in --out; rooms in this export replace their earlier rows")
    tiktok.set_defaults(run=run_import_tiktok)


def run_import_tiktok(args: argparse.Namespace) -> int:
    from contract.files import write_csv
    from metrics.tiktok import merge_sessions, read_tiktok_export, replaced_sessions, rooms_to_sessions

    export = read_tiktok_export(args.file)
    slots, assignments = slots_and_hosts(args.plan) if args.plan else (None, None)
    sessions, attention = rooms_to_sessions(export.rooms, args.channel, slots, assignments)
    replaced = kept_later = 0
    if args.merge and args.out.exists():
        existing = contract.read_table(args.out, contract.SESSIONS)
        replaced, kept_later = replaced_sessions(existing, sessions)
        sessions = merge_sessions(existing, sessions)
    text = sessions_as_text(sessions)
    contract.parse_table(text, contract.SESSIONS)  # never write a file the scorecard would refuse
    write_csv(text, args.out)
    _print_summary(args, export, attention, replaced, kept_later, len(text))
    return 0


def slots_and_hosts(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The folder's slots.csv and the hosts of its assignments.csv (slot_id, host_id, reason), each slot checked."""
    slots = contract.read_table(folder / "slots.csv", contract.SLOTS)
    plan = read_plan(folder / ASSIGNMENTS.file)
    plan.check(slots["slot_id"])
    return slots, plan.assignments


def sessions_as_text(sessions: pd.DataFrame) -> pd.DataFrame:
    """Sessions with ISO local times (`2026-07-04T20:01:54`), as the contract writes them."""
    stamp = "%Y-%m-%dT%H:%M:%S"
    return sessions.assign(start=sessions["start"].dt.strftime(stamp), end=sessions["end"].dt.strftime(stamp))


def _print_summary(args: argparse.Namespace, export: TikTokExport, attention: pd.DataFrame, replaced: int,
                   kept_later: int, written: int) -> None:
    rooms = len(export.rooms)
    print(f"read {rooms} room(s) from {export.source_file} (period {export.period_start:%Y-%m-%d} ~ "
          f"{export.period_end:%Y-%m-%d}, currency '{export.currency}')")
    if export.superseded:
        print(f"{export.superseded} earlier row(s) of a room listed twice dropped (the later End Time is kept)")
    outside = export.outside_period
    if not outside.empty:
        print(f"warning: {len(outside)} room(s) start outside the export's period:")
        print(outside.to_string(index=False))
    unmatched = int((~attention["attributed"]).sum())
    print(f"matched {rooms - unmatched} room(s) to a slot and its host; unmatched {unmatched}")
    if not attention.empty:
        print("rooms for a person to attribute or check:")
        print(attention[["session_id", "room_title", "start", "end", "slot_id", "reason"]].to_string(index=False))
    left_out = int((~attention["in_sessions"]).sum())
    if left_out:
        print(f"{left_out} room(s) left out of {args.out.name}: their viewers cannot be derived")
    if args.merge:
        print(f"replaced {replaced} session(s) already in {args.out.name}"
              + (f"; kept {kept_later} whose existing row ends later" if kept_later else ""))
    print(f"wrote {written} session(s) to {args.out}")


