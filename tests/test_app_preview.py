"""The Data page's preview of an upload is worked out once per file and data version, not on every rerun."""
from __future__ import annotations

from tests.conftest import SAMPLE


def test_an_upload_is_previewed_once_per_file_and_data_version(app_store, monkeypatch):
    from store import Store
    from ui import state

    previews = []
    real = Store.preview_import
    monkeypatch.setattr(Store, "preview_import", lambda self, *args: previews.append(args[1:]) or real(self, *args))
    targets = (SAMPLE / "targets.csv").read_bytes()
    first = state.import_preview(targets, "targets", "targets.csv")
    again = state.import_preview(targets, "targets", "targets.csv")
    assert (first.rows_unchanged, again.rows_unchanged) == (first.rows_in_file, first.rows_in_file)
    assert previews == [("targets", "targets.csv")]
    state.import_preview(targets.replace(b"\n", b"\r\n"), "targets", "targets.csv")  # another file, same rows
    assert len(previews) == 2
