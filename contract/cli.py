"""The one way every `python -m ...` command turns bad input into a message instead of a traceback."""
from __future__ import annotations

import argparse
import math
import sys

from contract.columns import DataError

Headlines = dict[type[Exception], str]
CONTRACT: Headlines = {DataError: "the input does not follow the data contract"}


def run_command(parser: argparse.ArgumentParser, argv: list[str] | None = None,
                headlines: Headlines | None = None, errors: tuple[type[Exception], ...] = ()) -> int:
    """Parse argv and run the chosen command's `run(args)`; bad input is reported on stderr with exit code 2.

    `headlines` puts a first line above the errors of a kind (a broken contract, an impossible lock), so the
    person reads what sort of problem it is before the file, row and column; `errors` adds exception types
    beyond the ones every command can raise (OSError and ValueError, DataError included).
    """
    args = parser.parse_args(argv)
    caught: tuple[type[Exception], ...] = (OSError, ValueError, *errors)
    try:
        return int(args.run(args) or 0)
    except caught as err:
        headline = next((text for kind, text in {**CONTRACT, **(headlines or {})}.items()
                         if isinstance(err, kind)), None)
        print(f"error: {headline}:\n{err}" if headline else f"error: {err}", file=sys.stderr)
        return 2


def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above 0 (a time limit), refused otherwise with an example."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0, like 10 or 2.5")
    return seconds
