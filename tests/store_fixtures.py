"""A tiny hand-written studio and a store fixture over SQLite and (when configured) PostgreSQL."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import open_store

STUDIO = {
    "hosts.csv": """host_id,name,tier,categories,languages,hourly_rate,max_hours_per_week,nickname
h1,Ana,A,beauty|skincare,en|es,30,20,Annie
h2,Ben,B,beauty,,25,15,
""",
    "availability.csv": """host_id,start,end
h1,2026-11-30T08:00:00,2026-11-30T20:00:00
h2,2026-11-30T10:00:00,2026-11-30T22:00:00
""",
    "slots.csv": """slot_id,channel,start,end,product_tier,category,locked_host_id
s1,shop1,2026-11-30T10:00:00,2026-11-30T12:00:00,hero,beauty,h1
s2,shop1,2026-11-30T14:00:00,2026-11-30T16:00:00,core,beauty,
""",
    "products.csv": """sku,product_name,product_tier,category,price
p1,Serum,hero,skincare,30
p2,-Cream,core,beauty,30.05
""",
    "sessions.csv": """session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv,peak_concurrent,category
x1,shop1,h1,2026-11-23T19:00:00,2026-11-23T21:00:00,1000,1500,60,5000,400,40,1200.5,300,beauty
x2,shop1,h2,2026-11-24T19:00:00,2026-11-24T20:30:00,800,1000,45.5,3000,200,20,600,,beauty
x3,shop2,,2026-11-25T09:00:00,2026-11-25T10:00:00,100,120,30,500,10,1,25,,=HYPERLINK("x")
""",
    "sku_sales.csv": """session_id,sku,product_name,product_tier,units_sold,units_refunded,gmv
x1,p1,Serum,hero,30,2,900
x1,p2,Cream,core,10,0,300.5
x2,p1,Serum,hero,20,1,600
""",
    "viewer_minutes.csv": """session_id,minute,concurrent_viewers
x1,0,100
x1,1,150
x2,0,80
""",
    "targets.csv": """metric,target
gmv,5000
conversion_rate,0.05
""",
}


def write_studio(folder: Path, files: dict[str, str] = STUDIO) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'studio.db'}"


@pytest.fixture
def postgres_url():
    """A fresh schema in the PostgreSQL of STUDIO_TEST_POSTGRES_URL, dropped afterwards."""
    base = os.environ.get("STUDIO_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("STUDIO_TEST_POSTGRES_URL is not set (a PostgreSQL URL to test against)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def studio_dir(tmp_path) -> Path:
    return write_studio(tmp_path / "studio")


@pytest.fixture
def store(store_url, studio_dir):
    opened = open_store(store_url, seed_dir=studio_dir)
    yield opened
    opened.engine.dispose()
