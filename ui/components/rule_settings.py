"""The Settings page's "Scheduling rules": the tier table, weights, changeover, rest, daily hours and host fit a
studio may change, each with its sentence, checked before saving, with every earlier value listed."""
from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from contract import TIERS, DataError
from scheduler.settings import HOST_FIT, RULES, Rule, Settings, rule_problems, rule_values
from store.settings import StudioSettings, restorable_values, rule_changes, with_rules_from
from ui import state
from ui.components.problems import problems_table
from ui.theme import plain

LABELS = {rule.key: rule.label for rule in RULES}


def rule_settings_section(current: StudioSettings, user_name: str, can_edit: bool) -> None:
    """The form, its Save and Defaults buttons, and the history of changes."""
    st.subheader("Scheduling rules")
    if st.session_state.pop("rules_saved", False):
        st.success("Scheduling rules saved; the next plan uses them.")
    st.caption("What the plan never breaks and what it fills first. The Schedule page, its checks and "
               "`python -m scheduler --settings settings.csv` all use these.")
    saved = rule_values(state.scheduler_settings())
    with st.form("rule_settings"):
        values: dict[str, str] = {}
        for row in (RULES[0:3], RULES[3:6], RULES[6:9], RULES[9:11]):
            for column, rule in zip(st.columns(3), row):
                with column:
                    values[rule.key] = _input(rule, saved[rule.key])
                    st.caption(rule.explanation)
        buttons = st.columns([1, 1, 3])
        save = buttons[0].form_submit_button("Save scheduling rules", type="primary", disabled=not can_edit)
        defaults = buttons[1].form_submit_button("Back to the defaults", disabled=not can_edit,
                                                 help="the data contract's tier table, weights and limits")
    if defaults:
        values = rule_values(Settings())
    if save or defaults:
        _save(current, values, user_name)
    _rules_file(current, user_name, can_edit)
    _history(current, user_name, can_edit)


def _input(rule: Rule, value: str) -> str:
    """One rule's widget; its value as the text settings.csv holds."""
    key = f"rule_{rule.key}"
    if rule.kind == "tiers":
        chosen = st.multiselect(rule.label, TIERS, default=[t for t in value.split("|") if t], key=key)
        return "|".join(t for t in TIERS if t in chosen)
    if rule.kind == "host_fit":
        return st.selectbox(rule.label, list(HOST_FIT), index=list(HOST_FIT).index(value), key=key)
    if rule.kind == "whole":
        return f"{st.number_input(rule.label, int(rule.minimum), int(rule.maximum), int(float(value)), 1, key=key):g}"
    return f"{st.number_input(rule.label, float(rule.minimum), float(rule.maximum), float(value), 0.5, key=key):g}"


def _save(current: StudioSettings, values: dict[str, str], user_name: str) -> None:
    problems = rule_problems(values)
    if problems:
        st.error("The rules were not saved:\n\n" + "\n".join(
            f"- {plain(LABELS[key])}: {plain(problem)}" for key, problem in problems.items()))
        return
    state.store().save_studio_settings(replace(current, rules=tuple(values.items())), user_name)
    state.invalidate()
    for rule in RULES:  # the form then shows the saved values, not what its widgets held
        st.session_state.pop(f"rule_{rule.key}", None)
    st.session_state["rules_saved"] = True
    st.rerun()


def _history(current: StudioSettings, user_name: str, can_edit: bool) -> None:
    """The changes, newest first, and a way to put back the value any of them replaced."""
    history = state.store().settings_history()
    changes = history[history["key"].isin(list(LABELS))]
    if not len(changes):
        return
    with st.expander(f"Earlier values ({len(changes)} change{'s' if len(changes) != 1 else ''})"):
        shown = pd.DataFrame({"rule": changes["key"].map(LABELS), "before": changes["before"],
                              "after": changes["after"], "changed by": changes["changed_by"],
                              "changed at": changes["changed_at"]})
        st.dataframe(shown, hide_index=True, width="stretch")
        earlier = restorable_values(history)
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        pick = left.selectbox("Put back an earlier value", earlier.index.tolist(), key="restore_rule",
                              format_func=lambda i: (f"{LABELS[earlier.at[i, 'key']]}: {earlier.at[i, 'value']} "
                                                     f"(before {earlier.at[i, 'changed_by']}'s change of "
                                                     f"{earlier.at[i, 'changed_at']:%Y-%m-%d %H:%M})"))
        if right.button("Put it back", key="restore_rule_button", disabled=not can_edit) and pick is not None:
            _save(current, {earlier.at[pick, "key"]: earlier.at[pick, "value"]}, user_name)


def _rules_file(current: StudioSettings, user_name: str, can_edit: bool) -> None:
    """settings.csv (key, value) uploaded on its own: its changes listed, then saved on a click."""
    upload = st.file_uploader("Or import a settings.csv (key, value), as `python -m scheduler --settings` reads it",
                              type=["csv"], key="rules_upload", disabled=not can_edit)
    if upload is None:
        return
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            new = with_rules_from(current, path)
    except DataError as err:
        st.error(f"{plain(upload.name)} cannot be used: fix the rows below and upload it again. Nothing was saved.")
        problems_table(err.problems, err.more, key="rules_upload_problems")
        return
    changes = rule_changes(current, new)
    if not changes:
        st.info(f"Every rule is already as {plain(upload.name)} gives it.")
        return
    st.markdown("**What the file changes:** " + "; ".join(
        f"{plain(LABELS[key])} {plain(before)} → {plain(after)}" for key, (before, after) in changes.items()))
    if st.button("Save the file's rules", key="rules_upload_save", type="primary"):
        _save(current, {key: after for key, (_, after) in changes.items()}, user_name)
