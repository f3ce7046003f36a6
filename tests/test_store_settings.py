"""The studio's settings: contract defaults until someone saves, then what they saved, validated."""
import pytest

from store import open_store
from store.settings import StudioSettings


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
