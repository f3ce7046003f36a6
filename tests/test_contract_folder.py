"""The studio folder reader: files found in any exported format, optional ones None, bad cells named."""
from __future__ import annotations

import pandas as pd
import pytest

from contract import DataError
from contract.folder import find_file, read_folder
from contract.schemas import HOSTS, SLOTS, TARGETS

HOSTS_CSV = "host_id,name,tier,categories,hourly_rate,max_hours_per_week\nH1,Ana,A,beauty|home,30,20\n"


def hosts_text(tmp_path) -> pd.DataFrame:
    (tmp_path / "source.csv").write_text(HOSTS_CSV)
    return pd.read_csv(tmp_path / "source.csv", dtype=str)


@pytest.mark.parametrize("extension", [".csv", ".xlsx", ".parquet"])
def test_hosts_are_found_and_typed_in_each_format(tmp_path, extension):
    raw = hosts_text(tmp_path)
    path = tmp_path / f"hosts{extension}"
    if extension == ".csv":
        path.write_text(HOSTS_CSV)
    elif extension == ".xlsx":
        raw.to_excel(path, index=False)
    else:
        raw.to_parquet(path)
    hosts = read_folder(tmp_path, (HOSTS,)).hosts
    assert hosts.loc[0, "categories"] == ("beauty", "home")
    assert hosts.loc[0, "hourly_rate"] == 30.0 and hosts.loc[0, "max_streams_per_day"] == 2
    assert hosts["host_id"].dtype == "str"


def test_parquet_is_read_before_a_csv_of_the_same_table(tmp_path):
    (tmp_path / "hosts.csv").write_text(HOSTS_CSV)
    hosts_text(tmp_path).assign(name="Bea").to_parquet(tmp_path / "hosts.parquet")
    assert find_file(tmp_path, "hosts.csv") == tmp_path / "hosts.parquet"
    assert read_folder(tmp_path, (HOSTS,)).hosts["name"].tolist() == ["Bea"]


def test_an_optional_file_the_folder_lacks_is_none_and_a_required_one_is_an_error(tmp_path):
    (tmp_path / "hosts.csv").write_text(HOSTS_CSV)
    tables = read_folder(tmp_path, (HOSTS,), (TARGETS,))
    assert tables.targets is None and tables.slots is None and len(tables.hosts) == 1
    assert find_file(tmp_path, "targets.csv") is None
    with pytest.raises(DataError) as err:
        read_folder(tmp_path, (HOSTS, SLOTS))
    assert str(err.value) == f"slots.csv: file not found at {tmp_path / 'slots.csv'}"


def test_a_bad_cell_is_named_by_file_row_and_column(tmp_path):
    (tmp_path / "hosts.csv").write_text(HOSTS_CSV + "H2,Ben,Z,beauty,25,10\n")
    with pytest.raises(DataError) as err:
        read_folder(tmp_path, (HOSTS,))
    assert str(err.value) == "hosts.csv, row 3, column tier: 'Z' is not one of A, B, C"


def test_a_sub_folder_is_named_in_messages(tmp_path):
    (tmp_path / "history").mkdir()
    (tmp_path / "history" / "targets.csv").write_text("metric,target\ngmv,lots\n")
    with pytest.raises(DataError) as err:
        read_folder(tmp_path / "history", (), (TARGETS,), within="history")
    assert str(err.value) == "history/targets.csv, row 2, column target: 'lots' is not a number"


def test_columns_and_categories_pass_on_per_file(tmp_path):
    (tmp_path / "hosts.csv").write_text(HOSTS_CSV)
    hosts = read_folder(tmp_path, (HOSTS,), columns={"hosts.csv": ["host_id", "name"]},
                        categories={"hosts.csv": ["name"]}).hosts
    assert list(hosts.columns) == ["host_id", "name"]
    assert isinstance(hosts["name"].dtype, pd.CategoricalDtype) and hosts["host_id"].dtype == "str"
