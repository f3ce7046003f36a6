"""The studio's own settings: what the app calls it, its time zone, its currency and the scheduling rules it
changed. Each change is kept in settings_history (before, after, who, when), so earlier values stay retrievable."""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import available_timezones

import pandas as pd
import sqlalchemy as sa

from scheduler.settings import (
    RULE_KEYS,
    SETTINGS_FILE,
    Settings,
    read_settings_file,
    rule_problems,
    rule_values,
    with_rules,
)
from store.models import settings_history, studio_settings

CURRENCIES = {"USD": "$", "EUR": "€", "GBP": "£", "VND": "₫", "IDR": "Rp", "MYR": "RM", "PHP": "₱", "THB": "฿",
              "SGD": "S$"}


@functools.cache
def time_zones() -> frozenset[str]:
    """The zone names this machine knows, read from its time zone database once (a walk of its files)."""
    return frozenset(available_timezones())


@dataclass(frozen=True)
class StudioSettings:
    """Defaults are the data contract's: America/Los_Angeles and USD."""

    studio_name: str = "Sample Studio"
    time_zone: str = "America/Los_Angeles"
    currency: str = "USD"
    rules: tuple[tuple[str, str], ...] = ()  # (key, value) of the scheduling rules saved (scheduler.settings.RULES)

    def __post_init__(self) -> None:
        if not self.studio_name.strip():
            raise ValueError("the studio needs a name")
        if self.time_zone not in time_zones():
            raise ValueError(f"'{self.time_zone}' is not a time zone name like America/Los_Angeles")
        if self.currency not in CURRENCIES:
            raise ValueError(f"currency '{self.currency}' is not one of {', '.join(CURRENCIES)}")
        problems = rule_problems(dict(self.rules))
        if problems:
            raise ValueError("; ".join(f"{key}: {problem}" for key, problem in problems.items()))

    def scheduling(self) -> Settings:
        """The scheduler's settings: the contract's defaults with this studio's zone, currency and rules."""
        return with_rules(Settings(time_zone=self.time_zone, currency=self.currency), dict(self.rules))

    @property
    def currency_symbol(self) -> str:
        return CURRENCIES[self.currency]


_STUDIO_KEYS = tuple(f.name for f in fields(StudioSettings) if f.name != "rules")


def load(conn: sa.Connection) -> StudioSettings:
    return from_rows(dict(conn.execute(sa.select(studio_settings.c.key, studio_settings.c.value)).all()))


def from_rows(saved: dict[str, str]) -> StudioSettings:
    """The settings the studio_settings rows (key -> value) hold; a key left out has its default."""
    return StudioSettings(**{key: saved[key] for key in _STUDIO_KEYS if key in saved},
                          rules=tuple((key, saved[key]) for key in RULE_KEYS if key in saved))


def save(conn: sa.Connection, settings: StudioSettings, user: str) -> None:
    """Write the values that differ from the saved ones, each with a history row; a rule `settings` leaves out
    keeps its saved value (the studio form saves name, zone and currency without touching the rules)."""
    now = datetime.now().replace(microsecond=0)
    saved = dict(conn.execute(sa.select(studio_settings.c.key, studio_settings.c.value)).all())
    values = {key: str(getattr(settings, key)) for key in _STUDIO_KEYS} | dict(settings.rules)
    changed = {key: value for key, value in values.items() if saved.get(key) != value}
    if not changed:
        return
    conn.execute(studio_settings.delete().where(studio_settings.c.key.in_(list(changed))))
    conn.execute(studio_settings.insert(), [
        {"key": key, "value": value, "changed_by": user, "changed_at": now} for key, value in changed.items()])
    conn.execute(settings_history.insert(), [
        {"key": key, "before": saved.get(key), "after": value, "changed_by": user, "changed_at": now}
        for key, value in changed.items()])


def clear_rules(conn: sa.Connection, user: str) -> None:
    """Forget every saved scheduling rule, so the contract's defaults apply; the history keeps each earlier
    value, with the default as the value after."""
    saved = dict(conn.execute(sa.select(studio_settings.c.key, studio_settings.c.value)
                              .where(studio_settings.c.key.in_(RULE_KEYS))).all())
    if not saved:
        return
    defaults = rule_values(Settings())
    conn.execute(studio_settings.delete().where(studio_settings.c.key.in_(list(saved))))
    conn.execute(settings_history.insert(), [
        {"key": key, "before": value, "after": defaults[key], "changed_by": user,
         "changed_at": datetime.now().replace(microsecond=0)} for key, value in saved.items()])


def history(conn: sa.Connection) -> pd.DataFrame:
    """Every change of a setting, newest first: key, before (empty for a first value), after, changed_by,
    changed_at."""
    rows = conn.execute(sa.select(settings_history.c.key, settings_history.c.before, settings_history.c.after,
                                  settings_history.c.changed_by, settings_history.c.changed_at)
                        .order_by(settings_history.c.id.desc())).all()
    frame = pd.DataFrame(rows, columns=["key", "before", "after", "changed_by", "changed_at"])
    return frame.assign(before=frame["before"].fillna("")).astype(
        {"key": "str", "before": "str", "after": "str", "changed_by": "str"})


def rules_file(settings: StudioSettings) -> pd.DataFrame | None:
    """settings.csv (key, value: every rule, as the scheduler reads it) when the studio saved any rule; None
    while it plans with the contract's defaults."""
    if not settings.rules:
        return None
    values = rule_values(settings.scheduling())
    return pd.DataFrame({"key": pd.Series(list(values), dtype="str"), "value": pd.Series(list(values.values()),
                                                                                        dtype="str")})


def with_rules_file(settings: StudioSettings, folder: Path) -> StudioSettings | None:
    """`settings` with the rules of the folder's settings.csv, None when the folder has none."""
    path = folder / SETTINGS_FILE
    return with_rules_from(settings, path) if path.exists() else None


def with_rules_from(settings: StudioSettings, path: Path) -> StudioSettings:
    """`settings` with every rule as the settings.csv at `path` gives it (a rule the file leaves out takes the
    contract's default, as the scheduler reads the file); a bad key or value is a DataError naming the file, row
    and column."""
    return replace(settings, rules=tuple(rule_values(read_settings_file(path)).items()))


def rule_changes(before: StudioSettings, after: StudioSettings) -> dict[str, tuple[str, str]]:
    """key -> (value before, value after) of each scheduling rule the two settings plan with differently."""
    old, new = rule_values(before.scheduling()), rule_values(after.scheduling())
    return {key: (old[key], new[key]) for key in RULE_KEYS if old[key] != new[key]}


def restorable_values(history: pd.DataFrame) -> pd.DataFrame:
    """Per change of a scheduling rule (newest first), the value it replaced, which the studio may put back:
    key, value (the contract's default where the change set the first value), changed_by, changed_at."""
    changes = history[history["key"].isin(RULE_KEYS)]
    defaults = rule_values(Settings())
    values = [before or defaults[key] for key, before in zip(changes["key"], changes["before"])]
    return pd.DataFrame({"key": changes["key"], "value": pd.Series(values, index=changes.index, dtype="str"),
                         "changed_by": changes["changed_by"], "changed_at": changes["changed_at"]}
                        ).reset_index(drop=True)
