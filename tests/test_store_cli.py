"""`python -m store`: init, import, history, undo, export, add-user; bad input exits 2 without a traceback."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
from test_store import OVERLAP, assert_same_frames, sqlite_url, write_studio

from store import open_seeded, open_store
from store.cli import main


def test_commands_import_undo_and_export(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    studio = write_studio(tmp_path / "studio")
    assert main(["--url", url, "init", "--seed-dir", str(studio)]) == 0
    (tmp_path / "day.csv").write_text(OVERLAP)
    assert main(["--url", url, "import", str(tmp_path / "day.csv"), "--kind", "sessions", "--user", "ana"]) == 0
    assert "day.csv (sessions): 1 added, 1 updated, 0 unchanged (import 9)" in capsys.readouterr().out
    assert main(["--url", url, "history"]) == 0
    assert "day.csv" in capsys.readouterr().out
    assert main(["--url", url, "undo", "9", "--user", "ana"]) == 0
    open_store(url).save_schedule("2026-W49", pd.DataFrame({"slot_id": ["s1"], "host_id": ["h1"],
                                                            "assistant_ids": ["h2"]}), "ana", status="published")
    capsys.readouterr()
    assert main(["--url", url, "export", "--out", str(tmp_path / "out")]) == 0
    exported = pd.read_csv(tmp_path / "out" / "sessions.csv")
    assert list(exported["session_id"]) == ["x1", "x2", "x3"]
    assert f"wrote {tmp_path / 'out' / 'assistants.csv'}" in capsys.readouterr().out
    assert pd.read_csv(tmp_path / "out" / "assistants.csv").values.tolist() == [["2026-W49", "s1", "h2"]]


def test_add_user_reads_the_password_from_stdin(tmp_path, monkeypatch):
    url = sqlite_url(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("long enough\n"))
    assert main(["--url", url, "add-user", "lea", "--role", "leadership", "--password-stdin"]) == 0
    assert open_store(url).users.sign_in("lea", "long enough").role == "leadership"


def test_disable_user_stops_sign_in_and_enable_restores_it(tmp_path, monkeypatch, capsys):
    url = sqlite_url(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("long enough\n"))
    main(["--url", url, "add-user", "lea", "--role", "leadership", "--password-stdin"])
    assert main(["--url", url, "disable-user", "lea", "--user", "root"]) == 0
    assert "lea is disabled" in capsys.readouterr().out
    assert open_store(url).users.sign_in("lea", "long enough").disabled
    assert main(["--url", url, "disable-user", "lea", "--enable"]) == 0
    assert open_store(url).users.sign_in("lea", "long enough").role == "leadership"
    assert main(["--url", url, "disable-user", "nobody"]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


def test_bad_file_exits_2_naming_file_row_and_column(tmp_path):
    url = sqlite_url(tmp_path)
    before = open_seeded(url, write_studio(tmp_path / "studio")).tables()
    bad = tmp_path / "hosts_new.csv"
    bad.write_text("host_id,name,tier,categories,hourly_rate,max_hours_per_week\nh1,Ana,D,beauty,30,20\n")
    done = subprocess.run([sys.executable, "-m", "store", "--url", url, "import", str(bad), "--kind", "hosts"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == ("error: the input does not follow the data contract:\n"
                           "hosts_new.csv, row 2, column tier: 'D' is not one of A, B, C\n")
    assert_same_frames(open_store(url).tables(), before)


def test_publish_a_plan_file_per_week_and_refuse_a_week_with_a_draft(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("store.cli.studio_now", lambda zone: pd.Timestamp("2026-11-29T12:00"))  # before the week
    url = sqlite_url(tmp_path)
    store = open_seeded(url, write_studio(tmp_path / "studio"))
    store.import_file(b"host_id,name,tier,categories,hourly_rate,max_hours_per_week,role\na1,Cy,C,beauty,18,20,assistant\n",
                      "hosts", "assistant.csv", "ana")
    store.import_file(b"host_id,start,end\na1,2026-11-30T08:00:00,2026-11-30T20:00:00\n", "availability", "a1.csv", "ana")
    store.import_file(b"slot_id,channel,start,end,product_tier,category,locked_host_id,assistants_needed\n"
                      b"s1,shop1,2026-11-30T10:00:00,2026-11-30T12:00:00,hero,beauty,h1,1\n", "slots", "s1.csv", "ana")
    store.engine.dispose()
    (tmp_path / "assignments.csv").write_text("slot_id,host_id,reason\ns1,h1,\ns2,,no host is available\n")
    (tmp_path / "assistants.csv").write_text("slot_id,assistant_id\ns1,a1\n")
    plan = [str(tmp_path / "assignments.csv"), "--assistants", str(tmp_path / "assistants.csv")]
    assert main(["--url", url, "publish", *plan, "--user", "ana"]) == 0
    assert "published 2026-W49: 2 slot(s), 1 with a host, 1 with assistants" in capsys.readouterr().out
    meta, published = open_store(url).schedule("2026-W49")
    assert meta["published_by"] == "ana" and published["assistant_ids"].tolist() == ["a1", ""]

    open_store(url).save_schedule("2026-W49", published.assign(assistant_ids=""), "ben")  # ben starts a draft
    assert main(["--url", url, "publish", *plan]) == 2
    assert "2026-W49 has a draft schedule (last saved by ben" in capsys.readouterr().err
    (tmp_path / "assistants.csv").write_text("slot_id,assistant_id\ns1,h9\n")
    assert main(["--url", url, "publish", *plan]) == 2
    assert "assistants.csv, row 2, column assistant_id: 'h9' is not in hosts.csv" in capsys.readouterr().err


def test_start_own_studio_lists_first_then_clears_in_one_undoable_step(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    main(["--url", url, "init", "--seed-dir", str(write_studio(tmp_path / "studio"))])
    capsys.readouterr()
    assert main(["--url", url, "start-own-studio", "--name", "Mine"]) == 1
    listed = capsys.readouterr().out
    assert listed.startswith("would clear: hosts 2, availability 2, slots 2, products 2, sessions 3, SKU sales 3, "
                             "viewer minutes 3, targets 2\n") and "--yes" in listed
    assert len(open_store(url).tables(["hosts"]).hosts) == 2  # nothing cleared without --yes
    assert main(["--url", url, "start-own-studio", "--name", "Mine", "--yes", "--user", "ana"]) == 0
    assert "as import 9; the studio is now 'Mine'" in capsys.readouterr().out
    assert len(open_store(url).tables(["hosts"]).hosts) == 0
    assert main(["--url", url, "undo", "9"]) == 0
    assert open_store(url).tables(["hosts"]).hosts["host_id"].tolist() == ["h1", "h2"]


def test_a_settings_file_is_imported_on_its_own(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    (tmp_path / "settings.csv").write_text("key;value\nchangeover_minutes;45\nmax_daily_hours;soon\n")
    assert main(["--url", url, "import", str(tmp_path / "settings.csv"), "--kind", "settings"]) == 2
    assert "settings.csv, row 3, column value: 'soon' is not" in capsys.readouterr().err
    assert open_store(url).studio_settings().rules == ()
    (tmp_path / "settings.csv").write_text("key;value\nchangeover_minutes;45\n")
    assert main(["--url", url, "import", str(tmp_path / "settings.csv"), "--kind", "settings", "--preview"]) == 0
    assert open_store(url).studio_settings().rules == ()
    assert main(["--url", url, "import", str(tmp_path / "settings.csv"), "--kind", "settings"]) == 0
    assert capsys.readouterr().out.endswith("changeover_minutes: 30 -> 45\nsettings.csv (scheduling rules): "
                                            "1 rule(s) changed\n")
    assert dict(open_store(url).studio_settings().rules)["changeover_minutes"] == "45"
