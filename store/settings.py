"""The studio's own settings: what the app calls it, its time zone and its currency."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from zoneinfo import available_timezones

import sqlalchemy as sa

from store.models import studio_settings

CURRENCIES = {"USD": "$", "EUR": "€", "GBP": "£", "VND": "₫", "IDR": "Rp", "MYR": "RM", "PHP": "₱", "THB": "฿",
              "SGD": "S$"}


@dataclass(frozen=True)
class StudioSettings:
    """Defaults are the data contract's: America/Los_Angeles and USD."""

    studio_name: str = "Sample Studio"
    time_zone: str = "America/Los_Angeles"
    currency: str = "USD"

    def __post_init__(self) -> None:
        if not self.studio_name.strip():
            raise ValueError("the studio needs a name")
        if self.time_zone not in available_timezones():
            raise ValueError(f"'{self.time_zone}' is not a time zone name like America/Los_Angeles")
        if self.currency not in CURRENCIES:
            raise ValueError(f"currency '{self.currency}' is not one of {', '.join(CURRENCIES)}")

    @property
    def currency_symbol(self) -> str:
        return CURRENCIES[self.currency]


def load(conn: sa.Connection) -> StudioSettings:
    saved = dict(conn.execute(sa.select(studio_settings.c.key, studio_settings.c.value)).all())
    return StudioSettings(**{f.name: saved[f.name] for f in fields(StudioSettings) if f.name in saved})


def save(conn: sa.Connection, settings: StudioSettings, user: str) -> None:
    now = datetime.now().replace(microsecond=0)
    conn.execute(studio_settings.delete().where(studio_settings.c.key.in_([f.name for f in fields(StudioSettings)])))
    conn.execute(studio_settings.insert(), [
        {"key": key, "value": value, "changed_by": user, "changed_at": now} for key, value in asdict(settings).items()])
