"""File and zip entry names made from data (a host id) stay inside their folder and stay distinct."""
from __future__ import annotations

import io
import zipfile

import pytest
from test_scheduler_cli import write_studio

from contract.files import safe_file_stem
from scheduler.cli import main
from ui.services import calendars_zip


@pytest.mark.parametrize("identifier", ["H003", "P02", "host-7", "ana.ruiz", "A_1"])
def test_an_id_that_is_a_safe_file_name_is_kept_as_it_is(identifier):
    assert safe_file_stem(identifier) == identifier


@pytest.mark.parametrize("identifier, cleaned", [
    ("/tmp/x/PWNED", "_tmp_x_PWNED"), ("../../etc/passwd", "_.._etc_passwd"), ("..", "id"), ("", "id"),
    (".hidden", "hidden"), ("C:\\boot", "C_boot"), ("Ana María", "Ana_Mar_a"), ("CON", "CON"), ("nul.x", "nul.x"),
    ("x" * 80, "x" * 64)])
def test_an_unsafe_id_is_cleaned_and_marked_with_a_hash(identifier, cleaned):
    stem = safe_file_stem(identifier)
    assert stem.startswith(cleaned + "-") and len(stem) == len(cleaned) + 11
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def test_ids_that_clean_to_the_same_text_stay_distinct_files():
    stems = {safe_file_stem(i) for i in ["a_b", "a/b", "a b", "a\\b", "a:b"]}
    assert len(stems) == 5 and "a_b" in stems


def test_solve_writes_every_calendar_inside_the_ics_folder(tmp_path):
    target = tmp_path / "x" / "PWNED"
    hosts = ("host_id,name,tier,categories,languages,hourly_rate,max_hours_per_week\n"
             f"{target},Ana Ruiz,A,beauty|home,en,20,40\n../escaped,Bo Li,B,beauty,en,15,40\n")
    availability = ("host_id,start,end\n"
                    f"{target},2026-11-30T08:00:00,2026-12-01T23:00:00\n"
                    "../escaped,2026-11-30T08:00:00,2026-12-01T23:00:00\n")
    data = write_studio(tmp_path / "studio", hosts=hosts, availability=availability)
    ics = tmp_path / "calendars" / "ics"
    assert main(["solve", "--data", str(data), "--out", str(tmp_path / "a.csv"), "--ics", str(ics),
                 "--time-limit", "5"]) == 0
    assert not target.with_suffix(".ics").exists() and not (tmp_path / "x").exists()
    assert not (tmp_path / "calendars" / "escaped.ics").exists()
    written = sorted(p.name for p in ics.iterdir())
    assert written == sorted([f"{safe_file_stem(str(target))}.ics", f"{safe_file_stem('../escaped')}.ics"])


def test_the_calendar_zip_holds_no_entry_that_unzips_outside_its_folder(tmp_path):
    people = ["H1", "../up", "/etc/cron.d/job", "..\\win", "H1/"]
    bundle = zipfile.ZipFile(io.BytesIO(calendars_zip({p: b"BEGIN:VCALENDAR" for p in people})))
    names = bundle.namelist()
    assert len(set(names)) == len(people) and "H1.ics" in names
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)
    bundle.extractall(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
