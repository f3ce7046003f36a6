"""Files as studios have them: Excel's European export (semicolons between cells, a decimal comma in numbers)
is read by every CLI and by the store's import; a file split by neither says what it looks like."""
from __future__ import annotations

import pandas as pd
import pytest
from test_store import sqlite_url

import contract
from scheduler.cli import main as scheduler_main
from store import open_seeded, open_store
from store.cli import main as store_main
from workflows.io import read_invoices

BOM = "\ufeff"
HOSTS = BOM + """host_id;name;tier;categories;languages;hourly_rate;max_hours_per_week
H1;"Ruiz; Ana";A;beauty|home;en;20,5;40
H2;Bo Li;B;beauty;en;1.234,75;12,5
"""
SLOTS = """slot_id;channel;start;end;product_tier;category;expected_gmv
S1;GlowLab;2026-11-30T10:00:00;2026-11-30T12:00:00;hero;beauty;1.500,25
S2;GlowLab;2026-11-30T10:00:00;2026-11-30T12:00:00;core;beauty;300,5
"""
AVAILABILITY = """host_id;start;end
H1;2026-11-30T08:00:00;2026-12-01T23:00:00
H2;2026-11-30T08:00:00;2026-12-01T23:00:00
"""


def _studio(folder):
    folder.mkdir()
    for name, text in (("hosts.csv", HOSTS), ("slots.csv", SLOTS), ("availability.csv", AVAILABILITY)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_semicolon_file_reads_its_decimal_commas_as_numbers(tmp_path):
    data = _studio(tmp_path / "data")
    hosts = contract.read_table(data / "hosts.csv", contract.HOSTS)
    assert hosts["name"].tolist() == ["Ruiz; Ana", "Bo Li"]
    assert hosts["hourly_rate"].tolist() == [20.5, 1234.75]
    assert hosts["max_hours_per_week"].tolist() == [40.0, 12.5]
    assert contract.read_table(data / "slots.csv", contract.SLOTS)["expected_gmv"].tolist() == [1500.25, 300.5]


def test_the_scheduler_cli_plans_a_semicolon_studio(tmp_path):
    data = _studio(tmp_path / "data")
    out = tmp_path / "assignments.csv"
    assert scheduler_main(["solve", "--data", str(data), "--out", str(out), "--time-limit", "5"]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert dict(zip(written["slot_id"], written["host_id"])) == {"S1": "H1", "S2": "H2"}


def test_the_store_imports_semicolon_hosts_and_slots(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    data = _studio(tmp_path / "data")
    assert store_main(["--url", url, "init", "--seed-dir", str(data)]) == 0
    tables = open_store(url).tables()
    assert tables.hosts["hourly_rate"].tolist() == [20.5, 1234.75]
    assert tables.slots["expected_gmv"].tolist() == [1500.25, 300.5]
    (tmp_path / "more.csv").write_text("host_id;name;tier;categories;hourly_rate;max_hours_per_week\n"
                                       "H3;Cy;C;home;18,25;20\n")
    assert store_main(["--url", url, "import", str(tmp_path / "more.csv"), "--kind", "hosts", "--user", "ana"]) == 0
    assert open_store(url).tables().hosts.set_index("host_id").at["H3", "hourly_rate"] == 18.25


def test_a_decimal_comma_stays_an_error_in_a_comma_separated_file(tmp_path):
    path = tmp_path / "hosts.csv"
    path.write_text('host_id,name,tier,categories,hourly_rate,max_hours_per_week\nH1,Ana,A,beauty,"20,5",40\n')
    with pytest.raises(contract.DataError, match="row 2, column hourly_rate: '20,5' is not a number"):
        contract.read_table(path, contract.HOSTS)


def test_a_dotted_number_without_a_decimal_comma_is_refused_in_a_semicolon_file_never_guessed(tmp_path):
    path = tmp_path / "hosts.csv"
    path.write_text("host_id;name;tier;categories;hourly_rate;max_hours_per_week\nH1;Ana;A;beauty;1.234;40\n"
                    "H2;Bo;B;beauty;12.5;40\n")  # 12.5 cannot be a grouping of thousands: it is read as written
    with pytest.raises(contract.DataError) as refused:
        contract.read_table(path, contract.HOSTS)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "hourly_rate")]
    assert "'1.234' could be a thousands separator or a decimal point" in str(refused.value)
    path.write_text("host_id;name;tier;categories;hourly_rate;max_hours_per_week\nH2;Bo;B;beauty;12.5;40\n")
    assert contract.read_table(path, contract.HOSTS)["hourly_rate"].tolist() == [12.5]


def test_a_tab_separated_file_is_named_as_such(tmp_path):
    path = tmp_path / "hosts.csv"
    path.write_text("host_id\tname\ttier\tcategories\thourly_rate\tmax_hours_per_week\nH1\tAna\tA\tbeauty\t20\t40\n")
    with pytest.raises(contract.DataError, match="it looks tab-separated; save it as CSV, with commas or semicolons"):
        contract.read_table(path, contract.HOSTS)


def test_a_semicolon_row_with_a_cell_too_many_names_its_row_and_the_separator(tmp_path):
    path = tmp_path / "slots.csv"
    path.write_text(SLOTS + "S3;GlowLab;2026-11-30T14:00:00;2026-11-30T16:00:00;core;beauty;1;2\n")
    with pytest.raises(contract.DataError) as caught:
        contract.read_table(path, contract.SLOTS)
    assert str(caught.value) == ("slots.csv, row 4: has 8 cells but the header has 7 (the file looks "
                                 "semicolon-separated); check for an unquoted semicolon or a missing value")


def test_an_upload_on_the_data_page_and_an_invoices_file_read_semicolons_alike(tmp_path):
    store = open_seeded(sqlite_url(tmp_path), _studio(tmp_path / "data"))
    upload = b"host_id;name;tier;categories;hourly_rate;max_hours_per_week\nH3;Cy;C;home;18,25;20\n"
    preview = store.preview_import(upload, "hosts", "hosts (1).csv")
    assert preview.ok and preview.rows_added == 1 and preview.added["hourly_rate"].tolist() == [18.25]
    invoices = tmp_path / "invoices.csv"
    invoices.write_text("invoice_id;person_id;period_start;period_end;amount\nI1;H1;2026-11-23;2026-11-29;1.250,5\n")
    assert read_invoices(invoices)["amount"].tolist() == [1250.5]


def test_blank_lines_before_the_header_are_skipped_as_pandas_does_and_a_wrong_header_is_named(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("\n\nmetric;target\ngmv;5000,5\n")
    assert contract.read_table(path, contract.TARGETS)["target"].tolist() == [5000.5]
    path.write_text("\ngmv,5000\n")
    with pytest.raises(contract.DataError, match="column metric, target: required column"):
        contract.read_table(path, contract.TARGETS)
