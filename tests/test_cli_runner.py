"""The shared command runner: bad input becomes one message on stderr and exit code 2, never a traceback."""
from __future__ import annotations

import argparse

import pytest

from contract import DataError, Problem
from contract.cli import run_command


class Impossible(ValueError):
    pass


class Conflict(Exception):
    pass


def parser_raising(error: Exception | None) -> argparse.ArgumentParser:
    def run(args: argparse.Namespace) -> int:
        if error is not None:
            raise error
        return 0

    parser = argparse.ArgumentParser()
    parser.set_defaults(run=run)
    return parser


def test_contract_problems_get_a_headline_above_file_row_and_column(capsys):
    error = DataError([Problem("hosts.csv", 3, "tier", "'D' is not one of A, B, C")])
    assert run_command(parser_raising(error), []) == 2
    assert capsys.readouterr().err == ("error: the input does not follow the data contract:\n"
                                       "hosts.csv, row 3, column tier: 'D' is not one of A, B, C\n")


def test_a_command_headline_names_its_own_kind_of_problem(capsys):
    code = run_command(parser_raising(Impossible("slot X: host H is not available")), [],
                       headlines={Impossible: "a locked assignment breaks a hard rule"})
    assert code == 2
    assert capsys.readouterr().err == "error: a locked assignment breaks a hard rule:\nslot X: host H is not available\n"


def test_a_missing_file_is_one_line(capsys):
    assert run_command(parser_raising(FileNotFoundError("no such file: slots.csv")), []) == 2
    assert capsys.readouterr().err == "error: no such file: slots.csv\n"


def test_extra_error_types_are_caught_only_when_named(capsys):
    assert run_command(parser_raising(Conflict("changed by ana")), [], errors=(Conflict,)) == 2
    assert capsys.readouterr().err == "error: changed by ana\n"
    with pytest.raises(Conflict):
        run_command(parser_raising(Conflict("changed by ana")), [])


def test_success_returns_the_command_code():
    assert run_command(parser_raising(None), []) == 0
