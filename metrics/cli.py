"""`python -m metrics ...`: every scorecard the dashboard shows, scriptable from a terminal.

Each group of commands lives beside the code it drives and registers itself here.
"""
from __future__ import annotations

import argparse

from contract.cli import run_command
from metrics import cli_core, cli_import, cli_reports


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (cli_core, cli_reports, cli_import):
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is reported as a message and exit code 2, never a traceback."""
    return run_command(build_parser(), argv)
