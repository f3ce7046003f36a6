"""The Settings page's scheduling rules through AppTest: saved to the store with who changed them, refused with
a message in the page's words, back to the defaults, and every earlier value listed."""
from __future__ import annotations

from test_app import open_page

from store import open_store


def _save(app, label: str = "Save scheduling rules"):
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, app.exception


def test_rules_are_saved_listed_and_reset(app_store):
    app = open_page("settings")
    assert "Scheduling rules" in [h.value for h in app.subheader]
    assert any("The least break a host gets" in c.value for c in app.caption)
    app.multiselect(key="rule_core_host_tiers").set_value(["A", "B", "C"])
    app.number_input(key="rule_changeover_minutes").set_value(15)
    _save(app)
    store = open_store(f"sqlite:///{app_store}")
    rules = dict(store.studio_settings().rules)
    assert rules["core_host_tiers"] == "A|B|C" and rules["changeover_minutes"] == "15"
    assert [s.value for s in app.success] == ["Scheduling rules saved; the next plan uses them."]
    assert app.multiselect(key="rule_core_host_tiers").value == ["A", "B", "C"]
    history = store.settings_history()
    assert set(history.loc[history["changed_by"] != "", "key"]) >= {"core_host_tiers", "changeover_minutes"}
    assert any(e.label.startswith("Earlier values") for e in app.expander)
    _save(app, "Back to the defaults")
    assert dict(open_store(f"sqlite:///{app_store}").studio_settings().rules)["changeover_minutes"] == "30"


def test_a_hero_tier_left_empty_is_refused_in_words(app_store):
    app = open_page("settings")
    app.multiselect(key="rule_hero_host_tiers").set_value([])
    _save(app)
    assert [e.value for e in app.error] == [
        "The rules were not saved:\n\n- Who may host hero shows: needs at least one host tier (A, B, C), or no "
        "hero slot could ever be staffed"]
    assert "hero_host_tiers" not in dict(open_store(f"sqlite:///{app_store}").studio_settings().rules)


def test_the_schedule_page_lists_the_hosts_who_could_take_no_slot(app_store):
    from test_app_schedule import planned_page
    app = planned_page(app_store)
    app.session_state["schedule_tabs"] = "Hours per person"  # only the open tab is drawn
    app.run()
    idle = next(d.value for d in app.dataframe if list(d.value.columns) == ["host_id", "name", "reason"])
    assert idle.set_index("host_id").at["H014", "reason"] == "not available during any longtail slot they could host"
    assert any("could take no slot of the week" in m.value for m in app.markdown)


def test_an_earlier_value_is_put_back_in_one_click(app_store):
    app = open_page("settings")
    app.number_input(key="rule_changeover_minutes").set_value(15)
    _save(app)
    app.number_input(key="rule_changeover_minutes").set_value(20)
    _save(app)
    choice = app.selectbox(key="restore_rule")
    assert choice.options[0].startswith("Changeover (minutes): 15 (before local's change of ")  # the newest change
    choice.select_index(0).run()
    next(b for b in app.button if b.label == "Put it back").click().run()
    assert not app.exception, app.exception
    assert dict(open_store(f"sqlite:///{app_store}").studio_settings().rules)["changeover_minutes"] == "15"
    assert app.number_input(key="rule_changeover_minutes").value == 15  # the form shows what was put back


def test_a_settings_file_is_imported_on_its_own_after_its_changes_are_shown(app_store):
    app = open_page("settings")
    app.file_uploader(key="rules_upload").upload("settings.csv", b"key;value\nchangeover_minutes;soon\n",
                                                 "text/csv").run()
    assert [e.value for e in app.error] == [
        "settings.csv cannot be used: fix the rows below and upload it again. Nothing was saved."]
    problems = next(d.value for d in app.dataframe if "why" in d.value.columns)
    assert problems[["file", "row", "column"]].values.tolist() == [["settings.csv", 2, "value"]]
    app.file_uploader(key="rules_upload").upload("settings.csv", b"key,value\nchangeover_minutes,45\n",
                                                 "text/csv").run()
    assert any("Changeover (minutes) 30 → 45" in m.value for m in app.markdown)
    next(b for b in app.button if b.label == "Save the file's rules").click().run()
    assert not app.exception, app.exception
    assert dict(open_store(f"sqlite:///{app_store}").studio_settings().rules)["changeover_minutes"] == "45"
