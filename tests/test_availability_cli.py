"""`python -m scheduler solve` with a weekly availability template and exceptions next to availability.csv."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scheduler import load_studio
from scheduler.cli import main

HOSTS = """host_id,name,tier,categories,hourly_rate,max_hours_per_week
H1,Ana Ruiz,A,beauty,20,40
H2,Bo Li,A,beauty,30,40
"""
NO_WINDOWS = "host_id,start,end\n"
# Monday 30 Nov evening, Tuesday 1 Dec across midnight, Thursday 3 Dec afternoon.
SLOTS = """slot_id,channel,start,end,product_tier,category
S1,GlowLab,2026-11-30T19:00:00,2026-11-30T21:00:00,hero,beauty
S2,GlowLab,2026-12-01T23:00:00,2026-12-02T01:00:00,hero,beauty
S3,GlowLab,2026-12-03T14:00:00,2026-12-03T16:00:00,hero,beauty
"""
TEMPLATE = """host_id,weekday,start,end
H1,Mon,17:00,22:00
H1,Tue,22:00,02:00
H1,Thu,9:00,17:00
"""
EXCEPTIONS = """host_id,start,end,change,note
H1,2026-12-03T13:00:00,2026-12-03T15:00:00,time off,dentist
"""


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    defaults = {"hosts": HOSTS, "availability": NO_WINDOWS, "slots": SLOTS}
    for name, text in {**defaults, **files}.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


def solved(folder: Path, out: Path) -> dict[str, str]:
    assert main(["solve", "--data", str(folder), "--out", str(out), "--time-limit", "5"]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    return dict(zip(written["slot_id"], written["host_id"]))


def test_without_the_optional_files_nothing_changes(tmp_path):
    assert solved(write(tmp_path / "d"), tmp_path / "a.csv") == {"S1": "", "S2": "", "S3": ""}


def test_the_template_staffs_slots_and_time_off_takes_one_away(tmp_path):
    folder = write(tmp_path / "d", availability_template=TEMPLATE)
    assert solved(folder, tmp_path / "a.csv") == {"S1": "H1", "S2": "H1", "S3": "H1"}
    (folder / "availability_exceptions.csv").write_text(EXCEPTIONS)
    assert solved(folder, tmp_path / "b.csv") == {"S1": "H1", "S2": "H1", "S3": ""}


def test_an_extra_window_makes_a_host_available(tmp_path):
    extra = "host_id,start,end,change\nH2,2026-12-03T12:00:00,2026-12-03T18:00:00,extra\n"
    folder = write(tmp_path / "d", availability_exceptions=extra)
    assert solved(folder, tmp_path / "a.csv") == {"S1": "", "S2": "", "S3": "H2"}


def test_load_studio_expands_only_over_the_days_of_the_slots(tmp_path):
    studio = load_studio(write(tmp_path / "d", availability_template=TEMPLATE))
    assert [(h, f"{s:%a %d %H:%M}", f"{e:%a %d %H:%M}") for h, s, e in studio.availability.itertuples(index=False)] == [
        ("H1", "Mon 30 17:00", "Mon 30 22:00"), ("H1", "Tue 01 22:00", "Wed 02 02:00"),
        ("H1", "Thu 03 09:00", "Thu 03 17:00")]


@pytest.mark.parametrize("files, message", [
    ({"availability_template": TEMPLATE + "H9,Fri,10:00,12:00\n"},
     "availability_template.csv, row 5, column host_id: 'H9' is not in hosts.csv"),
    ({"availability_template": TEMPLATE.replace("9:00,17:00", "25:00,17:00")},
     "availability_template.csv, row 4, column start: '25:00' is not a time of day like 09:30"),
    ({"availability_template": TEMPLATE.replace("Thu", "Thursday")},
     "availability_template.csv, row 4, column weekday: 'Thursday' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
    ({"availability_exceptions": EXCEPTIONS.replace("H1", "H7")},
     "availability_exceptions.csv, row 2, column host_id: 'H7' is not in hosts.csv"),
    ({"availability_exceptions": EXCEPTIONS.replace("time off", "holiday")},
     "availability_exceptions.csv, row 2, column change: 'holiday' is not one of time off, extra"),
    ({"availability_exceptions": EXCEPTIONS.replace("T15:00", "T12:00")},
     "availability_exceptions.csv, row 2, column end: end is not after start"),
    ({"availability": NO_WINDOWS + "H5,2026-11-30T08:00:00,2026-11-30T09:00:00\n",
      "availability_template": TEMPLATE},
     "availability.csv, row 2, column host_id: 'H5' is not in hosts.csv"),
])
def test_bad_optional_files_are_named_by_file_row_and_column(tmp_path, capsys, files, message):
    out = tmp_path / "a.csv"
    assert main(["solve", "--data", str(write(tmp_path / "d", **files)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_the_template_alone_is_enough_availability(tmp_path):
    folder = write(tmp_path / "d", availability_template=TEMPLATE)
    (folder / "availability.csv").unlink()
    assert solved(folder, tmp_path / "a.csv") == {"S1": "H1", "S2": "H1", "S3": "H1"}
    (folder / "availability_template.csv").unlink()
    assert main(["solve", "--data", str(folder), "--out", str(tmp_path / "b.csv")]) == 2


def test_check_and_replan_need_no_availability_csv_beside_the_template(tmp_path, capsys):
    folder = write(tmp_path / "d", availability_template=TEMPLATE)
    (folder / "availability.csv").unlink()
    plan = tmp_path / "plan.csv"
    plan.write_text("slot_id,host_id\nS1,H1\nS2,H1\nS3,H1\n")
    assert main(["check", "--data", str(folder), "--plan", str(plan)]) == 0
    assert "no hard rule is broken" in capsys.readouterr().out
    assert main(["replan", "--data", str(folder), "--plan", str(plan), "--host", "H1", "--from",
                 "2026-12-03T00:00", "--to", "end", "--out", str(tmp_path / "again.csv"), "--time-limit", "5"]) == 0
    assert "1 slot(s) changed host:\n  S3: H1 -> (open)" in capsys.readouterr().out
