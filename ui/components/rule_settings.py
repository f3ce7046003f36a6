"""The Settings page's "Scheduling rules": the tier table, weights, changeover, rest, daily hours and host fit a
studio may change, each with its sentence, checked before saving, with every earlier value listed."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from contract import TIERS
from scheduler.settings import HOST_FIT, RULES, Rule, Settings, rule_problems, rule_values
from store.settings import StudioSettings
from ui import state
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
    _history()


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
    st.session_state["rules_saved"] = True
    st.rerun()


def _history() -> None:
    changes = state.store().settings_history()
    changes = changes[changes["key"].isin(list(LABELS))]
    if not len(changes):
        return
    with st.expander(f"Earlier values ({len(changes)} change{'s' if len(changes) != 1 else ''})"):
        shown = pd.DataFrame({"rule": changes["key"].map(LABELS), "before": changes["before"],
                              "after": changes["after"], "changed by": changes["changed_by"],
                              "changed at": changes["changed_at"]})
        st.dataframe(shown, hide_index=True, width="stretch")
