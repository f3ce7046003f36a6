"""A tiny studio whose week lies in the future (2030-W02), so publishing it mails people, shared by the tests
of calendars, feeds and the outbox."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from store import Store
from store.seed import open_seeded

HOSTS = """host_id,name,tier,categories,languages,hourly_rate,max_hours_per_week,role,email
h1,Ana Ruiz,A,beauty,en,30,20,host,ana@example.com
h2,Ben Cole,A,beauty,en,25,20,host,ben@example.com
p1,Pia Lind,C,beauty,en,15,20,assistant,
"""
SLOTS = """slot_id,channel,start,end,product_tier,category,room
s1,GlowLab,2030-01-07T10:00:00,2030-01-07T12:00:00,hero,beauty,Studio 1
s2,GlowLab,2030-01-07T14:00:00,2030-01-07T16:00:00,core,beauty,
s3,GlowLab,2030-01-08T10:00:00,2030-01-08T12:00:00,core,beauty,Studio 2
"""
WEEK = "2030-W02"
PLAN = pd.DataFrame({"slot_id": ["s1", "s2", "s3"], "host_id": ["h1", "h2", "h1"],
                     "assistant_ids": ["p1", "", ""]})


def notify_store(folder: Path) -> Store:
    """A SQLite store in `folder` with the studio's hosts and slots and nothing published."""
    data = folder / "studio"
    data.mkdir(parents=True)
    (data / "hosts.csv").write_text(HOSTS)
    (data / "slots.csv").write_text(SLOTS)
    return open_seeded(f"sqlite:///{folder / 'studio.db'}", data)


def publish(store: Store, plan: pd.DataFrame = PLAN, week: str = WEEK) -> None:
    """Publish `plan` as the week's schedule, over the published one if there is one."""
    store.save_schedule(week, plan, "ana", status="published")
