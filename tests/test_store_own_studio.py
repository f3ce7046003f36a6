"""Starting your own studio: every row of the sample cleared in one step, and that step undone exactly."""
from __future__ import annotations

import filecmp
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from test_store import STUDIO, postgres_url, store_url, write_studio  # noqa: F401  (fixtures)

from store import open_seeded, open_store
from store.kinds import KINDS
from store.settings import StudioSettings

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "studio"


def _same_files(left: Path, right: Path) -> list[str]:
    """Names of the files that differ between two exports."""
    names = sorted(p.name for p in left.iterdir())
    assert names == sorted(p.name for p in right.iterdir())
    return [name for name in names if not filecmp.cmp(left / name, right / name, shallow=False)]


@pytest.fixture
def sample_store(seeded_store_file, tmp_path):
    path = tmp_path / "studio.db"
    shutil.copy(seeded_store_file, path)
    store = open_store(f"sqlite:///{path}")
    yield store
    store.engine.dispose()


def test_the_sample_is_cleared_in_one_step_and_undone_exactly(sample_store, tmp_path):
    store = sample_store
    hosts = store.tables(["hosts"]).hosts
    host = hosts["host_id"].iloc[0]
    store.requests.ask_time_off(host, datetime(2026, 12, 20, 9), datetime(2026, 12, 20, 18), "dentist", host)
    store.export_all(tmp_path / "before")
    published_before = store.published_schedules()
    to_clear = store.rows_to_clear()

    step = store.start_own_studio("GlowLab Live", "ana")

    tables = store.tables()
    assert all(len(getattr(tables, kind)) == 0 for kind in KINDS)
    assert store.published_schedules().empty and store.requests.pending().empty
    assert store.studio_settings().studio_name == "GlowLab Live"
    assert not store.is_empty()  # the app never seeds the sample over a studio that cleared it
    assert len(open_seeded(str(store.engine.url), SAMPLE).tables(["hosts"]).hosts) == 0
    entry = store.import_history().iloc[0]
    assert (entry["id"], entry["kind"], entry["user"]) == (step, "studio", "ana")
    assert to_clear["hosts"] == len(hosts) and to_clear["schedules"] == published_before["week"].nunique()
    assert to_clear["host_requests"] == 1 and entry["rows_deleted"] == sum(to_clear.values())
    assert store.rows_to_clear() == {}
    store.export_all(tmp_path / "cleared")
    assert (tmp_path / "cleared" / "hosts.csv").read_text().count("\n") == 1  # the header alone

    store.undo_import(step, "ana")

    store.export_all(tmp_path / "after")
    assert _same_files(tmp_path / "before", tmp_path / "after") == []
    assert store.published_schedules().equals(published_before)
    assert store.requests.pending()["note"].tolist() == ["dentist"]
    assert store.studio_settings().studio_name == "Sample Studio"


def test_the_clear_cannot_be_undone_under_the_new_studio_s_own_rows(sample_store, tmp_path):
    store = sample_store
    step = store.start_own_studio("Mine", "ana")
    own = write_studio(tmp_path / "own", {"hosts.csv": STUDIO["hosts.csv"]})
    mine = store.import_file(own / "hosts.csv", "hosts", user="ana").import_id
    with pytest.raises(ValueError, match=f"your studio's own import\\(s\\) {mine} came after it; undo those first"):
        store.undo_import(step, "ana")
    assert store.tables(["hosts"]).hosts["host_id"].tolist() == ["h1", "h2"]  # nothing changed
    store.undo_import(mine, "ana")
    store.undo_import(step, "ana")
    assert len(store.tables(["hosts"]).hosts) > 2


def test_a_sample_import_cannot_be_undone_while_the_clear_stands(sample_store):
    store = sample_store
    first_hosts = store.import_history().query("kind == 'hosts'")["id"].iloc[-1]
    step = store.start_own_studio("Mine", "ana")
    with pytest.raises(ValueError, match=f"import\\(s\\) {step} changed the same hosts rows later"):
        store.undo_import(int(first_hosts), "ana")


def test_the_scheduling_rules_go_back_to_the_defaults_and_return_with_the_undo(store_url, tmp_path):
    store = open_seeded(store_url, write_studio(tmp_path / "studio"))
    store.save_studio_settings(StudioSettings(rules=(("changeover_minutes", "20"),)), "ana")
    step = store.start_own_studio("Fresh", "ben")
    assert store.studio_settings().rules == () and store.studio_settings().studio_name == "Fresh"
    history = store.settings_history()
    assert history.loc[history["key"] == "changeover_minutes", ["before", "after"]].values.tolist()[0] == ["20", "30"]  # the contract's changeover
    assert all(len(getattr(store.tables(), kind)) == 0 for kind in KINDS)
    store.undo_import(step, "ben")
    assert dict(store.studio_settings().rules) == {"changeover_minutes": "20"}
    assert store.tables(["hosts"]).hosts["host_id"].tolist() == ["h1", "h2"]
    store.engine.dispose()


def test_a_blank_name_clears_nothing(sample_store):
    hosts = len(sample_store.tables(["hosts"]).hosts)
    with pytest.raises(ValueError, match="needs a name"):
        sample_store.start_own_studio("  ", "ana")
    assert len(sample_store.tables(["hosts"]).hosts) == hosts


def test_the_store_knows_whether_it_still_holds_the_sample(sample_store, tmp_path):
    from store.seed import holds_the_sample
    store = sample_store
    assert holds_the_sample(store.import_history())
    step = store.start_own_studio("Mine", "ana")
    assert not holds_the_sample(store.import_history())
    own = write_studio(tmp_path / "own", {"hosts.csv": STUDIO["hosts.csv"]})
    mine = store.import_file(own / "hosts.csv", "hosts", user="ana").import_id
    assert not holds_the_sample(store.import_history())  # the studio's own rows, not the sample's
    store.undo_import(mine, "ana")
    store.undo_import(step, "ana")
    assert holds_the_sample(store.import_history())
    fresh = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    assert not holds_the_sample(fresh.import_history())
