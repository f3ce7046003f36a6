"""`python -m metrics import-tiktok`: turn TikTok Shop's LIVE performance export into sessions.csv.

The importer is imported inside the command so other commands do not pay for openpyxl.
"""
from __future__ import annotations

import argparse
from pathlib import Path


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
    raise NotImplementedError
