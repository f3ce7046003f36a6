"""The studio's settings: contract defaults until someone saves, then what they saved, validated."""
import pytest
from test_store import write_studio

from contract import DataError
from store import open_store
from store.seed import seed
from store.settings import StudioSettings
from store.week import scheduler_settings


def test_defaults_then_saved_values(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    assert store.studio_settings() == StudioSettings("Sample Studio", "America/Los_Angeles", "USD")
    store.save_studio_settings(StudioSettings("GlowLab Live", "Asia/Ho_Chi_Minh", "VND"), "ana")
    again = open_store(f"sqlite:///{tmp_path / 's.db'}").studio_settings()
    assert again == StudioSettings("GlowLab Live", "Asia/Ho_Chi_Minh", "VND")
    assert again.currency_symbol == "₫"


@pytest.mark.parametrize("name, zone, currency, message", [
    (" ", "America/Los_Angeles", "USD", "needs a name"),
    ("x", "Mars/Olympus", "USD", "not a time zone"),
    ("x", "America/Los_Angeles", "XYZ", "currency 'XYZ'"),
])
def test_bad_settings_are_refused(name, zone, currency, message):
    with pytest.raises(ValueError, match=message):
        StudioSettings(name, zone, currency)


def test_scheduling_rules_are_saved_with_who_changed_them_and_the_earlier_values_kept(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    store.save_studio_settings(StudioSettings(rules=(("core_host_tiers", "A|B|C"), ("changeover_minutes", "15"))),
                               "ana")
    store.save_studio_settings(StudioSettings(rules=(("changeover_minutes", "20"),)), "ben")
    store.save_studio_settings(StudioSettings("Renamed"), "ben")  # the studio form leaves the rules as they are
    saved = open_store(f"sqlite:///{tmp_path / 's.db'}").studio_settings()
    assert dict(saved.rules) == {"core_host_tiers": "A|B|C", "changeover_minutes": "20"}
    settings = scheduler_settings(saved)
    assert settings.tier_table["core"] == ("A", "B", "C") and settings.changeover_minutes == 20
    history = store.settings_history()
    changeover = history[history["key"] == "changeover_minutes"]
    assert changeover[["before", "after", "changed_by"]].values.tolist() == [["15", "20", "ben"], ["", "15", "ana"]]
    assert history.iloc[0][["key", "before", "after"]].tolist() == ["studio_name", "Sample Studio", "Renamed"]


def test_a_bad_rule_is_refused_before_anything_is_saved():
    with pytest.raises(ValueError, match="hero_host_tiers: needs at least one host tier"):
        StudioSettings(rules=(("hero_host_tiers", ""),))


def test_the_rules_travel_with_an_export_and_seed_a_new_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    store.export_all(tmp_path / "plain")
    assert not (tmp_path / "plain" / "settings.csv").exists()  # a studio on the defaults exports no rules
    store.save_studio_settings(StudioSettings(rules=(("max_daily_hours", "8"),)), "ana")
    store.export_all(tmp_path / "out")
    exported = (tmp_path / "out" / "settings.csv").read_text().splitlines()
    assert exported[0] == "key,value" and "max_daily_hours,8" in exported and "hero_host_tiers,A" in exported
    folder = write_studio(tmp_path / "studio")
    (folder / "settings.csv").write_text("key;value\nmax_daily_hours;7,5\n")
    fresh = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    seed(fresh, folder, "lea")
    assert fresh.studio_settings().scheduling().max_daily_hours == 7.5
    assert fresh.settings_history().set_index("key").at["max_daily_hours", "changed_by"] == "lea"


def test_a_bad_settings_file_in_a_seed_folder_is_named_by_row_and_column(tmp_path):
    folder = write_studio(tmp_path / "studio")
    (folder / "settings.csv").write_text("key,value\nmax_daily_hours,30\n")
    with pytest.raises(DataError, match="settings.csv, row 2, column value: 30 is outside 0.5 to 24"):
        seed(open_store(f"sqlite:///{tmp_path / 'b.db'}"), folder, "lea")
