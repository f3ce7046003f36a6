"""The sample studio generator: deterministic, valid by the data contract, internally consistent, and
the committed sample_data/studio/ is exactly what the generator makes today."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import contract
from sample_data.generate import FILES, generate_studio, main, write_studio

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "sample_data" / "studio"
SMALL = {"seed": 11, "channels": 2, "hosts": 12, "weeks": 2}
TABLES = {"hosts.csv": contract.HOSTS, "availability.csv": contract.AVAILABILITY, "slots.csv": contract.SLOTS,
          "sessions.csv": contract.SESSIONS, "sku_sales.csv": contract.SKU_SALES,
          "viewer_minutes.csv": contract.VIEWER_MINUTES, "targets.csv": contract.TARGETS}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """A small studio written as CSV, the way users' files arrive."""
    folder = tmp_path_factory.mktemp("studio")
    write_studio(generate_studio(**SMALL), folder)
    return folder


@pytest.fixture(scope="module")
def tables(written: Path) -> dict[str, pd.DataFrame]:
    return {name: contract.read_table(written / name, table) for name, table in TABLES.items()}


def test_same_seed_same_frames_and_another_seed_differs():
    first, again, other = generate_studio(**SMALL), generate_studio(**SMALL), generate_studio(**{**SMALL, "seed": 12})
    assert list(first) == list(FILES)
    for name in FILES:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["sessions.csv"]["gmv"].equals(other["sessions.csv"]["gmv"])
    assert not first["hosts.csv"]["name"].equals(other["hosts.csv"]["name"])
    without_minutes = generate_studio(**SMALL, viewer_minutes=False)
    assert "viewer_minutes.csv" not in without_minutes
    pd.testing.assert_frame_equal(without_minutes["sessions.csv"], first["sessions.csv"])


def test_many_channels_get_unique_names_codes_and_rooms():
    slots = generate_studio(seed=5, channels=12, hosts=30, weeks=1, viewer_minutes=False)["slots.csv"]
    names = slots["channel"].unique()
    assert len(names) == 12 and "GlowLab Beauty" in names
    assert slots.groupby("channel")["room"].nunique().eq(1).all() and slots["room"].nunique() == 12
    pairs = pd.DataFrame({"channel": slots["channel"], "code": slots["slot_id"].str.split("-").str[1]})
    pairs = pairs.drop_duplicates()
    assert len(pairs) == 12 and pairs["code"].is_unique  # one code per shop, never shared


def test_every_contract_file_validates_and_references_hold(tables):
    hosts, sessions = tables["hosts.csv"], tables["sessions.csv"]
    contract.check_references(tables["availability.csv"], "host_id", hosts["host_id"], contract.AVAILABILITY,
                              "hosts.csv")
    contract.check_references(tables["slots.csv"], "locked_host_id", hosts["host_id"], contract.SLOTS, "hosts.csv",
                              allow_empty=True)
    for name in ("sku_sales.csv", "viewer_minutes.csv"):
        contract.check_references(tables[name], "session_id", sessions["session_id"], TABLES[name], "sessions.csv")


def test_times_are_written_iso_without_offset_or_fraction(written):
    line = (written / "slots.csv").read_text().splitlines()[1]
    assert ",2026-11-30T" in line and "+" not in line and "." not in line.split(",")[2]


def test_session_gmv_is_the_sum_of_its_sku_rows_to_the_cent(tables):
    sku = tables["sku_sales.csv"]
    cents = (sku["gmv"] * 100).round().astype("int64").groupby(sku["session_id"]).sum()
    sessions = tables["sessions.csv"].set_index("session_id")
    expected = cents.reindex(sessions.index, fill_value=0)
    assert ((sessions["gmv"] * 100).round().astype("int64") == expected).all()
    units = sku.groupby("session_id")["units_sold"].sum().reindex(sessions.index, fill_value=0)
    assert (sessions["orders"] <= units).all()


def test_refunds_never_exceed_units_sold(tables):
    sku = tables["sku_sales.csv"]
    assert (sku["units_refunded"] <= sku["units_sold"]).all() and (sku["units_sold"] > 0).all()
    assert not sku.duplicated(["session_id", "sku"]).any()


def test_rates_are_realistic(tables):
    sessions = tables["sessions.csv"]
    conversion = sessions["orders"].sum() / sessions["viewers"].sum()
    ctr = sessions["product_clicks"].sum() / sessions["product_impressions"].sum()
    assert 0.005 <= conversion <= 0.08
    assert 0.02 <= ctr <= 0.10
    assert sessions["avg_watch_seconds"].between(0, 180).all()


def test_viewer_minutes_cover_each_session_minute_by_minute(tables):
    sessions, minutes = tables["sessions.csv"], tables["viewer_minutes.csv"]
    length = ((sessions["end"] - sessions["start"]).dt.total_seconds() // 60).astype("int64")
    counted = minutes.groupby("session_id").size().reindex(sessions["session_id"], fill_value=0)
    assert (counted.to_numpy() == length.to_numpy()).all()
    last = minutes.groupby("session_id")["minute"].max().reindex(sessions["session_id"])
    assert (last.to_numpy() == length.to_numpy() - 1).all()
    peak = minutes.groupby("session_id")["concurrent_viewers"].max().reindex(sessions["session_id"])
    assert (peak.to_numpy() == sessions["peak_concurrent"].to_numpy()).all()


def test_roster_tiers_roles_and_hours(tables):
    hosts = tables["hosts.csv"]
    assert (hosts["min_hours_per_week"] <= hosts["max_hours_per_week"]).all()
    assistants = hosts[hosts["role"] == "assistant"]
    assert len(assistants) >= 1 and assistants["host_id"].str.startswith("P").all()
    assert set(hosts.loc[hosts["role"] == "host", "tier"]) == {"A", "B", "C"}
    streamed = set(tables["sessions.csv"]["host_id"])
    assert not streamed & set(assistants["host_id"])
    assert any(h.startswith("GUEST-") for h in streamed) and "" in streamed


def test_slots_never_overlap_in_a_room_and_locks_are_takeable(tables):
    slots = tables["slots.csv"].sort_values(["room", "start"])
    gap = slots.groupby("room")["start"].shift(-1) - slots["end"]
    assert (gap.dropna() >= pd.Timedelta(minutes=30)).all()
    assert (slots["end"].dt.date > slots["start"].dt.date).any()  # a slot crosses midnight
    hosts = tables["hosts.csv"].set_index("host_id")
    windows = tables["availability.csv"]
    locked = slots[slots["locked_host_id"] != ""]
    assert 2 <= len(locked) <= 4 and locked["locked_host_id"].is_unique
    for _, slot in locked.iterrows():
        host = hosts.loc[slot["locked_host_id"]]
        mine = windows[windows["host_id"] == slot["locked_host_id"]]
        assert ((mine["start"] <= slot["start"]) & (mine["end"] >= slot["end"])).any()
        assert slot["category"] in host["categories"] and slot["language"] in host["languages"]
        assert host["tier"] in {"hero": "A", "core": "AB", "longtail": "ABC"}[slot["product_tier"]]


def test_the_spanish_hero_slot_has_no_tier_a_host_who_speaks_spanish(tables):
    hosts, slots = tables["hosts.csv"], tables["slots.csv"]
    assert ((slots["product_tier"] == "hero") & (slots["language"] == "es")).sum() == 1
    assert not any("es" in languages for languages in hosts.loc[hosts["tier"] == "A", "languages"])
    assert any("es" in languages for languages in hosts.loc[hosts["role"] == "host", "languages"])


def test_some_hosts_have_no_availability_and_the_early_hero_slot_has_no_tier_a_host(tables):
    hosts, windows, slots = tables["hosts.csv"], tables["availability.csv"], tables["slots.csv"]
    assert set(hosts["host_id"]) - set(windows["host_id"])
    early = slots[(slots["product_tier"] == "hero") & (slots["start"].dt.hour == 8)]
    assert len(early) == 1
    tier_a = set(hosts.loc[hosts["tier"] == "A", "host_id"])
    a_windows = windows[windows["host_id"].isin(tier_a)]
    start = early["start"].iloc[0]
    assert not ((a_windows["start"] <= start) & (a_windows["end"] >= early["end"].iloc[0])).any()


def test_past_weeks_have_slots_and_a_plan_that_matches_the_streams_but_for_a_few(written, tables):
    past = contract.read_table(written / "history" / "slots.csv", contract.SLOTS)
    assert past["start"].max() < tables["slots.csv"]["start"].min()  # slots.csv keeps only the weeks to plan
    assert not set(past["slot_id"]) & set(tables["slots.csv"]["slot_id"])
    plan = pd.read_csv(written / "history" / "assignments.csv", dtype=str, keep_default_na=False)
    assert plan["slot_id"].tolist() == past["slot_id"].tolist()
    sessions = tables["sessions.csv"]
    assert set(sessions["slot_id"]) <= set(past["slot_id"])
    on_air = plan.merge(sessions[["slot_id", "host_id"]], on="slot_id", how="left", suffixes=("", "_on_air"))
    no_show = on_air["host_id_on_air"].isna()
    swapped = ~no_show & (on_air["host_id_on_air"] != on_air["host_id"])
    assert no_show.sum() >= 1 and (on_air.loc[no_show, "host_id"] != "").all()
    assert 1 <= swapped.sum() <= 0.08 * len(plan)
    assert (plan["reason"] != "").eq(plan["host_id"] == "").all()


def test_past_assistants_staff_hosted_slots_that_need_them_never_twice_at_once(written, tables):
    past = contract.read_table(written / "history" / "slots.csv", contract.SLOTS).set_index("slot_id")
    plan = pd.read_csv(written / "history" / "assignments.csv", dtype=str, keep_default_na=False).set_index("slot_id")
    helpers = pd.read_csv(written / "history" / "assistants.csv", dtype=str, keep_default_na=False)
    hosts = tables["hosts.csv"].set_index("host_id")
    assert len(helpers) and (hosts.loc[helpers["assistant_id"], "role"] == "assistant").all()
    assert (past.loc[helpers["slot_id"], "assistants_needed"] > 0).all()
    assert (plan.loc[helpers["slot_id"], "host_id"] != "").all()
    times = past.loc[helpers["slot_id"], ["start", "end"]].reset_index().assign(who=helpers["assistant_id"].to_numpy())
    times = times.sort_values(["who", "start"])
    gap = times.groupby("who")["start"].shift(-1) - times["end"]
    assert (gap.dropna() >= pd.Timedelta(minutes=30)).all()


def test_invoices_reconcile_to_every_case(written, tables):
    from datetime import date

    from contract.plan import read_plan
    from workflows import Period, pay, reconcile, timesheet
    from workflows.io import read_invoices, read_roster

    hosts, slots = read_roster(written)
    period = Period(date(2026, 11, 23), date(2026, 11, 29))
    plan = read_plan(written / "history" / "assignments.csv", written / "history" / "assistants.csv")
    sheet = timesheet(plan, slots, hosts, tables["sessions.csv"], tables["sku_sales.csv"], period,
                      now=pd.Timestamp("2026-11-30"))
    result = reconcile(read_invoices(written / "history" / "invoices.csv"), pay(sheet, hosts, period), hosts)
    counts = result["status"].value_counts()
    assert set(counts.index) == {"matched", "over-billed", "under-billed", "missing"}
    assert counts["matched"] > counts.drop("matched").sum()


def test_committed_sample_studio_is_what_the_generator_makes(tmp_path):
    write_studio(generate_studio(), tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), f"{name} drifted: regenerate it"


def test_cli_writes_parquet_and_reports_rows(tmp_path, capsys):
    assert main(["--seed", "3", "--channels", "1", "--hosts", "6", "--weeks", "1", "--no-viewer-minutes",
                 "--format", "parquet", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(FILES) - 1 and all(line.endswith(" rows") for line in printed)
    assert not (tmp_path / "viewer_minutes.parquet").exists()
    assert (tmp_path / "history" / "slots.parquet").exists() and (tmp_path / "slots.parquet").exists()
    sessions = contract.read_table(tmp_path / "sessions.parquet", contract.SESSIONS)
    assert len(sessions) > 0 and np.issubdtype(sessions["start"].dtype, np.datetime64)


def test_cli_bad_argument_exits_non_zero_without_traceback(tmp_path):
    run = subprocess.run([sys.executable, "-m", "sample_data.generate", "--plan-week", "2026-49", "--out",
                          str(tmp_path / "x")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "week '2026-49' is not an ISO week" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "x").exists()


def test_within_a_tier_the_stronger_hosts_get_more_of_the_prime_slots():
    """Staged as associates stage a week: in every tier, hidden skill and how prime the slots a host streamed were
    (log value over the tier's median) rise together, Spearman over the hosts with streams (about 0 unstaged)."""
    from scipy.stats import spearmanr

    from sample_data.generate import hidden_skill

    frames = generate_studio(seed=11, channels=12, hosts=150, weeks=4, viewer_minutes=False)
    value = frames["history/slots.csv"].set_index("slot_id")["expected_gmv"]
    median = frames["history/slots.csv"].groupby("product_tier")["expected_gmv"].median()
    tier_of = frames["history/slots.csv"].set_index("slot_id")["product_tier"]
    sessions = frames["sessions.csv"]
    over_median = np.log(sessions["slot_id"].map(value) / sessions["slot_id"].map(tier_of).map(median))
    streamed = over_median.groupby(sessions["host_id"]).mean().rename("prime")
    joined = hidden_skill(seed=11, channels=12, hosts=150).join(streamed, on="host_id").dropna()
    for tier, group in joined.groupby("tier"):
        assert spearmanr(group["skill"], group["prime"])[0] > 0.15, tier
