"""A time limit is a number of seconds above 0: anything else is refused by the parser, exit code 2."""
from __future__ import annotations

import argparse

import pytest

from contract.cli import positive_seconds
from scheduler.cli import main


@pytest.mark.parametrize("text", ["-1", "0", "nan", "inf", "-inf", "ten"])
def test_a_time_limit_that_is_not_positive_seconds_exits_2_with_a_message(tmp_path, capsys, text):
    with pytest.raises(SystemExit) as stopped:
        main(["solve", "--data", str(tmp_path), "--out", str(tmp_path / "a.csv"), f"--time-limit={text}"])
    assert stopped.value.code == 2
    assert f"argument --time-limit: '{text}' is not a number of seconds above 0, like 10 or 2.5" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize("text, seconds", [("10", 10.0), ("2.5", 2.5), ("1e-3", 0.001)])
def test_a_positive_time_limit_is_read(text, seconds):
    assert positive_seconds(text) == seconds


def test_the_type_error_is_argparses_own():
    with pytest.raises(argparse.ArgumentTypeError):
        positive_seconds("-0.0")
