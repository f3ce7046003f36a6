"""TikTok Shop's LIVE performance export -> sessions.csv: parsing, viewers, host attribution, merging, CLI.

Exports are built here with openpyxl as TikTok writes them: period on row 1, row 2 empty, header on row 3,
every cell text. `python tests/test_tiktok_import.py` regenerates the committed fixture.
"""
from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import contract
from metrics.cli import main
from metrics.tiktok import (
    _PARSERS,
    EXPECTED_HEADER,
    derive_viewers,
    merge_sessions,
    read_tiktok_export,
    replaced_sessions,
    rooms_to_sessions,
)

FIXTURE = Path(__file__).parent / "fixtures" / "tiktok" / "Creator-Live-Performance_20260917093000.xlsx"
ROOM_A = "7658657266417994504"  # 19 digits: a float would turn it into 7658657266417994752
ROOM_B = "7658657266417994999"


def room(**cells: str) -> dict[str, str]:
    """A plausible room as text cells; keyword names are the headers with spaces/dots as underscores."""
    row = {
        "Room ID": ROOM_A, "Room Title": "Summer glow drop", "Start Time": "2026-07-04 20:01:54",
        "End Time": "2026-07-04 20:20:54", "Duration": "0h19m", "Attributed GMV": "$6,830.01",
        "Attributed items sold": "212", "Attributed orders": "180", "Attributed SKU orders": "190",
        "Customers": "171", "AOV": "$37.94", "Views": "1,000", "Impressions": "25,400",
        "Impressions Per Hour": "80,210.5", "GMV per hour": "$21,568.45", "Show GPM": "$268.90",
        "Watch GPM": "$6,830.01", "Avg. viewing duration per view": "30s", "Avg. viewing duration": "1m 0s",
        "Tap through rate": "3.93701%", "LIVE CTR": "4.38247%", "Product Impressions": "4,100",
        "Product clicks": "610", "CTR": "14.87805%", "CTOR": "29.5082%", "CTOR (SKU orders)": "31.14754%",
        "SKU order rate": "250%", "New followers": "45", "Follow rate": "4.5%", "Comments": "320",
        "Comment rate": "32%", "Shares": "12", "Share rate": "1.2%", "Likes": "5,400", "Like rate": "540%",
    }
    for key, value in cells.items():
        header = next(h for h in EXPECTED_HEADER if _key(h) == key)
        row[header] = value
    return row


def _key(header: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in header).strip("_").replace("__", "_")


def write_export(path: Path, rooms: list[dict[str, str]], period: str = "2026-07-01 ~ 2026-09-17",
                 header: tuple[str, ...] = EXPECTED_HEADER) -> Path:
    """An export as TikTok Shop writes it: every cell a string, empty cells left blank."""
    book = Workbook()
    sheet = book.active
    sheet.title = "performance_detail"
    sheet.append([period])
    sheet.append([])
    sheet.append(list(header))
    for cells in rooms:
        sheet.append([cells[h] or None for h in EXPECTED_HEADER])
    book.save(path)
    return path


def write_sample_fixture(path: Path = FIXTURE) -> Path:
    """The committed fixture: two rooms of one shop, one of them with empty rates (0 product impressions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    quiet = room(Room_ID=ROOM_B, Room_Title="Late clearance", Start_Time="2026-09-16 23:10:00",
                 End_Time="2026-09-17 01:15:00", Duration="2h05m", Attributed_GMV="$0.00",
                 Attributed_items_sold="0", Attributed_orders="0", Attributed_SKU_orders="0", Customers="0",
                 AOV="", Views="0", Impressions="1,200", GMV_per_hour="$0.00", Show_GPM="$0.00",
                 Watch_GPM="", Avg_viewing_duration_per_view="", Avg_viewing_duration="",
                 Tap_through_rate="0%", LIVE_CTR="", Product_Impressions="0", Product_clicks="0", CTR="",
                 CTOR="", CTOR_SKU_orders="", SKU_order_rate="", New_followers="0", Follow_rate="",
                 Comments="0", Comment_rate="", Shares="0", Share_rate="", Likes="0", Like_rate="")
    return write_export(path, [room(), quiet])


def only_room(tmp_path: Path, **cells: str) -> pd.Series:
    return read_tiktok_export(write_export(tmp_path / "export.xlsx", [room(**cells)])).rooms.iloc[0]


def refusal(tmp_path: Path, rooms: list[dict[str, str]], **kwargs) -> str:
    with pytest.raises(contract.DataError) as caught:
        read_tiktok_export(write_export(tmp_path / "Creator-Live-Performance_x.xlsx", rooms, **kwargs))
    return str(caught.value)


# --- cells ----------------------------------------------------------------------------------------------

def test_money_with_symbol_before_or_after_and_thousands_separators(tmp_path):
    assert only_room(tmp_path)["gmv"] == 6830.01
    dong = only_room(tmp_path, Attributed_GMV="6,830,000.01₫", AOV="37,940₫", GMV_per_hour="21,568,000₫",
                     Show_GPM="268,900₫", Watch_GPM="6,830,000₫")
    assert dong["gmv"] == 6830000.01
    assert dong["aov"] == 37940.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=20), st.sampled_from(["$", "₫"]))
def test_any_amount_as_tiktok_formats_it_reads_back_exactly(cents, symbol):
    texts = [f"${c / 100:,.2f}" if symbol == "$" else f"{c / 100:,.2f}₫" for c in cents]
    values, bad, _ = _PARSERS["money"](pd.Series(texts, dtype="str"))
    assert not bad.any()
    assert values.tolist() == [c / 100 for c in cents]


def test_ambiguous_money_is_refused_not_guessed(tmp_path):
    message = refusal(tmp_path, [room(Attributed_GMV="€1.234,56")])
    assert "row 4, column Attributed GMV: '€1.234,56' is not an amount" in message
    assert "',' groups thousands" in message
    assert "row 4, column Attributed GMV: '$1,23' is not an amount" in refusal(tmp_path, [room(Attributed_GMV="$1,23")])


def test_mixed_currencies_are_refused(tmp_path):
    message = refusal(tmp_path, [room(), room(Room_ID=ROOM_B, Attributed_GMV="5,000₫")])
    assert "more than one currency ($, ₫)" in message


def test_rates_become_fractions_and_may_exceed_one(tmp_path):
    parsed = only_room(tmp_path)
    assert parsed["live_ctr"] == pytest.approx(0.0438247, abs=1e-12)
    assert parsed["sku_order_rate"] == 2.5


def test_an_empty_rate_stays_empty_not_zero(tmp_path):
    parsed = only_room(tmp_path, CTR="", Follow_rate="")
    assert math.isnan(parsed["ctr"]) and math.isnan(parsed["follow_rate"])
    assert parsed["live_ctr"] > 0  # control: a filled rate in the same row is read


@pytest.mark.parametrize("text, seconds", [("0h19m", 1140), ("2h05m", 7500), ("45m", 2700), ("1h", 3600),
                                           ("1h 2m 3s", 3723)])
def test_room_duration_forms(tmp_path, text, seconds):
    assert only_room(tmp_path, Duration=text)["duration_seconds"] == seconds


@pytest.mark.parametrize("text", ["1m 5s", "65s", "00:01:05", "1m5s"])
def test_viewing_duration_forms_all_mean_65_seconds(tmp_path, text):
    assert only_room(tmp_path, Avg_viewing_duration=text)["avg_seconds_per_viewer"] == 65


def test_a_bare_number_in_a_duration_column_is_seconds(tmp_path):
    assert only_room(tmp_path, Avg_viewing_duration="65")["avg_seconds_per_viewer"] == 65
    assert only_room(tmp_path, Duration="1140")["duration_seconds"] == 1140
    assert only_room(tmp_path, Avg_viewing_duration="12.5")["avg_seconds_per_viewer"] == 12.5


@pytest.mark.parametrize("text", ["01:05", "1.5 minutes", "-65", "65 5"])
def test_unknown_duration_form_is_refused_with_row_and_column(tmp_path, text):
    message = refusal(tmp_path, [room(), room(Room_ID=ROOM_B, Avg_viewing_duration=text)])
    assert f"row 5, column Avg. viewing duration: '{text}' is not a duration" in message


def test_room_id_of_19_digits_stays_exact_text(tmp_path):
    rooms = read_tiktok_export(write_sample_fixture(tmp_path / "sample.xlsx")).rooms
    assert rooms["room_id"].tolist() == [ROOM_A, ROOM_B]
    assert pd.api.types.is_string_dtype(rooms["room_id"])


def test_room_id_shortened_by_excel_is_refused(tmp_path):
    message = refusal(tmp_path, [room(Room_ID="7.65866E+18")])
    assert "row 4, column Room ID: '7.65866E+18' is a number Excel shortened" in message


def test_a_bad_cell_names_the_sheet_row_and_column(tmp_path):
    message = refusal(tmp_path, [room(), room(Room_ID=ROOM_B), room(Room_ID="1", Views="lots", End_Time="")])
    assert "Creator-Live-Performance_x.xlsx, row 6, column Views: 'lots' is not a whole number" in message
    assert "row 6, column End Time: is empty; a value is required" in message
    assert "row 4" not in message and "row 5" not in message  # control: good rows are not blamed


def test_end_before_start_is_refused(tmp_path):
    message = refusal(tmp_path, [room(End_Time="2026-07-04 19:00:00")])
    assert "row 4, column End Time: '2026-07-04 19:00:00' is not after the Start Time" in message


# --- file shape -----------------------------------------------------------------------------------------

def test_period_is_read_and_rooms_outside_it_are_listed(tmp_path):
    export = read_tiktok_export(write_export(tmp_path / "e.xlsx", [
        room(), room(Room_ID=ROOM_B, Start_Time="2026-09-18 10:00:00", End_Time="2026-09-18 11:00:00")]))
    assert (export.period_start, export.period_end) == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-17"))
    assert export.outside_period["room_id"].tolist() == [ROOM_B]
    assert export.currency == "$"


def test_bad_period_row_is_refused(tmp_path):
    assert "row 1: row 1 should give the period" in refusal(tmp_path, [room()], period="July to September")


def test_renamed_header_is_refused_naming_the_columns(tmp_path):
    header = tuple("Gross revenue" if h == "Attributed GMV" else h for h in EXPECTED_HEADER)
    message = refusal(tmp_path, [room()], header=header)
    assert "row 3: column F is 'Gross revenue' where 'Attributed GMV' is expected (renamed?)" in message


def test_missing_and_unexpected_columns_are_named(tmp_path):
    header = tuple(h for h in EXPECTED_HEADER if h != "Customers") + ("Region",)
    message = refusal(tmp_path, [room()], header=header)
    assert "missing column(s): Customers" in message
    assert "unexpected column(s): Region" in message


def test_moved_columns_are_named(tmp_path):
    header = list(EXPECTED_HEADER)
    header[11], header[12] = header[12], header[11]  # Views <-> Impressions
    message = refusal(tmp_path, [room()], header=tuple(header))
    assert "columns in a different order: 'Views' is column M, expected L; 'Impressions' is column L, expected M" \
        in message


def test_a_sheet_with_another_name_is_refused(tmp_path):
    path = write_export(tmp_path / "e.xlsx", [room()])
    from openpyxl import load_workbook
    book = load_workbook(path)
    book.active.title = "Sheet1"
    book.save(path)
    with pytest.raises(contract.DataError, match="has no sheet 'performance_detail'; its sheets are: Sheet1"):
        read_tiktok_export(path)


def test_a_workbook_that_unpacks_past_the_cap_is_refused_before_its_xml_is_parsed(tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:  # about 100 KB packed, 101 MB unpacked
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 101_000_000)
    with pytest.raises(contract.DataError, match="^bomb.xlsx: holds 101 MB of spreadsheet data once unpacked, "
                                                 "more than the 100 MB a workbook may hold; save it as CSV"):
        read_tiktok_export(bomb.getvalue(), "bomb.xlsx")


def test_bytes_and_uploaded_file_objects_are_read(tmp_path):
    data = write_sample_fixture(tmp_path / "upload.xlsx").read_bytes()
    assert len(read_tiktok_export(data).rooms) == 2
    upload = io.BytesIO(data)
    upload.name = "Creator-Live-Performance_upload.xlsx"
    assert read_tiktok_export(upload).source_file == "Creator-Live-Performance_upload.xlsx"


def test_same_room_twice_in_one_file_keeps_the_latest_end(tmp_path):
    live = room(End_Time="2026-07-04 20:10:00", Views="400")
    final = room(End_Time="2026-07-04 20:20:54", Views="1,000")
    export = read_tiktok_export(write_export(tmp_path / "e.xlsx", [final, live]))
    assert export.rooms["views"].tolist() == [1000]
    assert export.superseded == 1


def test_committed_fixture_reads_as_expected():
    export = read_tiktok_export(FIXTURE)
    rooms = export.rooms.set_index("room_id")
    assert rooms.loc[ROOM_A, "gmv"] == 6830.01
    assert rooms.loc[ROOM_B, "duration_seconds"] == 7500
    assert math.isnan(rooms.loc[ROOM_B, "ctr"])
    sessions, _ = rooms_to_sessions(export.rooms, "glow-us")
    assert sessions.set_index("session_id").loc[ROOM_B, ["viewers", "avg_watch_seconds"]].tolist() == [0, 0.0]


# --- viewers --------------------------------------------------------------------------------------------

def test_viewers_follow_from_the_two_viewing_durations(tmp_path):
    rooms = read_tiktok_export(write_export(tmp_path / "e.xlsx", [room()])).rooms
    sessions, _ = rooms_to_sessions(rooms, "glow-us")
    # 1000 views x 30 s per view = 30 000 s watched; at 60 s per viewer that is 500 viewers.
    assert sessions.loc[0, "viewers"] == 500
    assert sessions.loc[0, "avg_watch_seconds"] == 60


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=36000),
       st.integers(min_value=1, max_value=36000))
def test_derived_viewers_are_at_least_one_and_at_most_views(views, per_view, per_viewer):
    rooms = pd.DataFrame({"views": [views], "avg_seconds_per_view": [float(per_view)],
                          "avg_seconds_per_viewer": [float(per_viewer)]})
    viewers = derive_viewers(rooms)[0].iloc[0]
    assert min(views, 1) <= viewers <= views


def test_room_with_views_but_no_viewing_duration_is_left_out_and_listed(tmp_path):
    rooms = read_tiktok_export(write_export(tmp_path / "e.xlsx", [
        room(), room(Room_ID=ROOM_B, Avg_viewing_duration="")])).rooms
    sessions, attention = rooms_to_sessions(rooms, "glow-us")
    assert sessions["session_id"].tolist() == [ROOM_A]
    flagged = attention.set_index("session_id").loc[ROOM_B]
    assert not flagged["in_sessions"]
    assert "viewers cannot be derived" in flagged["reason"]


# --- host attribution -----------------------------------------------------------------------------------

def plan(rows: list[tuple[str, str, str, str]], hosts: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slots (slot_id, channel, start, end) and their assignments, read as the contract reads them."""
    raw = pd.DataFrame(rows, columns=["slot_id", "channel", "start", "end"]).assign(
        product_tier="core", category="beauty")
    slots = contract.parse_table(raw.astype("str"), contract.SLOTS)
    assignments = pd.DataFrame({"slot_id": [r[0] for r in rows], "host_id": [hosts.get(r[0], "") for r in rows],
                                "reason": ""})
    return slots, assignments


def test_room_gets_the_slot_it_overlaps_most_and_its_host(tmp_path):
    rooms = read_tiktok_export(write_export(tmp_path / "e.xlsx", [
        room(Start_Time="2026-07-04 19:50:00", End_Time="2026-07-04 21:10:00")])).rooms
    slots, assignments = plan([
        ("S1", "glow-us", "2026-07-04T18:00:00", "2026-07-04T20:00:00"),  # 10 min overlap
        ("S2", "glow-us", "2026-07-04T20:00:00", "2026-07-04T22:00:00"),  # 70 min overlap
        ("X1", "other-shop", "2026-07-04T19:00:00", "2026-07-04T23:00:00"),  # 80 min, but another shop
    ], {"S1": "h-ann", "S2": "h-bo", "X1": "h-cy"})
    sessions, attention = rooms_to_sessions(rooms, "glow-us", slots, assignments)
    assert sessions.loc[0, ["slot_id", "host_id"]].tolist() == ["S2", "h-bo"]
    assert attention.empty


def test_unmatched_rooms_are_listed_with_why(tmp_path):
    rooms = read_tiktok_export(write_export(tmp_path / "e.xlsx", [
        room(),
        room(Room_ID=ROOM_B, Start_Time="2026-07-05 09:00:00", End_Time="2026-07-05 10:00:00"),
        room(Room_ID="42", Start_Time="2026-07-06 09:00:00", End_Time="2026-07-06 10:00:00"),
    ])).rooms
    slots, assignments = plan([
        ("S1", "glow-us", "2026-07-04T20:00:00", "2026-07-04T21:00:00"),
        ("S2", "glow-us", "2026-07-05T09:00:00", "2026-07-05T10:00:00"),
    ], {"S1": "h-ann"})
    sessions, attention = rooms_to_sessions(rooms, "glow-us", slots, assignments)
    assert sessions["host_id"].tolist() == ["h-ann", "", ""]
    assert sessions["slot_id"].tolist() == ["S1", "S2", ""]
    listed = attention.set_index("session_id")
    assert listed.index.tolist() == [ROOM_B, "42"]
    assert listed.loc[ROOM_B, "reason"] == "slot S2 has no host in assignments.csv"
    assert listed.loc["42", "reason"] == "no published slot of channel 'glow-us' overlaps"
    assert listed["in_sessions"].all()


def test_sessions_frame_validates_against_the_contract(tmp_path):
    from metrics.cli_import import sessions_as_text

    rooms = read_tiktok_export(write_sample_fixture(tmp_path / "s.xlsx")).rooms
    sessions, _ = rooms_to_sessions(rooms, "glow-us")
    contract_columns = [c.name for c in contract.SESSIONS.columns]
    assert sessions.columns.tolist()[:len(contract_columns)] == contract_columns
    assert {"room_title", "customers", "items_sold", "impressions", "source_file"} <= set(sessions.columns)
    parsed = contract.parse_table(sessions_as_text(sessions), contract.SESSIONS)
    assert parsed["start"].iloc[0] == pd.Timestamp("2026-07-04 20:01:54")


# --- merging a later export -----------------------------------------------------------------------------

def sessions_of(tmp_path: Path, name: str, rooms: list[dict[str, str]]) -> pd.DataFrame:
    return rooms_to_sessions(read_tiktok_export(write_export(tmp_path / name, rooms)).rooms, "glow-us")[0]


def test_a_later_export_replaces_the_room_exported_while_live(tmp_path):
    earlier = sessions_of(tmp_path, "a.xlsx", [room(End_Time="2026-07-04 20:10:00", Attributed_GMV="$100.00"),
                                               room(Room_ID=ROOM_B, Start_Time="2026-07-03 20:00:00",
                                                    End_Time="2026-07-03 21:00:00")])
    later = sessions_of(tmp_path, "b.xlsx", [room(Attributed_GMV="$6,830.01")])
    merged = merge_sessions(earlier, later).set_index("session_id")
    assert merged.loc[ROOM_A, ["gmv", "end"]].tolist() == [6830.01, pd.Timestamp("2026-07-04 20:20:54")]
    assert merged.index.tolist() == [ROOM_B, ROOM_A]  # the other session is kept; ordered by start
    assert replaced_sessions(earlier, later) == (1, 0)


def test_an_older_export_does_not_undo_a_later_one(tmp_path):
    final = sessions_of(tmp_path, "a.xlsx", [room(Attributed_GMV="$6,830.01")])
    live = sessions_of(tmp_path, "b.xlsx", [room(End_Time="2026-07-04 20:10:00", Attributed_GMV="$100.00")])
    assert merge_sessions(final, live)["gmv"].tolist() == [6830.01]
    assert replaced_sessions(final, live) == (0, 1)


def test_a_host_attributed_by_hand_survives_a_reimport(tmp_path):
    first = sessions_of(tmp_path, "a.xlsx", [room(End_Time="2026-07-04 20:10:00")]).assign(host_id="h-ann")
    again = sessions_of(tmp_path, "b.xlsx", [room()])
    assert merge_sessions(first, again)["host_id"].tolist() == ["h-ann"]


def test_a_room_filed_under_another_channel_is_refused(tmp_path):
    first = sessions_of(tmp_path, "a.xlsx", [room()]).assign(channel="glow-uk")
    with pytest.raises(contract.DataError, match="already filed under channel 'glow-uk'"):
        merge_sessions(first, sessions_of(tmp_path, "b.xlsx", [room()]))


# --- command line ---------------------------------------------------------------------------------------

def write_plan(folder: Path) -> Path:
    folder.mkdir()
    (folder / "slots.csv").write_text("slot_id,channel,start,end,product_tier,category\n"
                                      "S1,glow-us,2026-07-04T20:00:00,2026-07-04T21:00:00,hero,beauty\n")
    (folder / "assignments.csv").write_text("slot_id,host_id,reason\nS1,h-ann,\n")
    return folder


def test_cli_writes_a_valid_sessions_csv(tmp_path, capsys):
    out = tmp_path / "sessions.csv"
    code = main(["import-tiktok", str(FIXTURE), "--channel", "glow-us", "--plan", str(write_plan(tmp_path / "plan")),
                 "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    sessions = contract.read_table(out, contract.SESSIONS).set_index("session_id")
    assert sessions.loc[ROOM_A, ["host_id", "slot_id", "viewers"]].tolist() == ["h-ann", "S1", 500]
    assert sessions.loc[ROOM_B, "host_id"] == ""
    assert "2026-07-04T20:01:54" in out.read_text()
    assert "read 2 room(s)" in printed and "matched 1 room(s)" in printed and "unmatched 1" in printed
    assert ROOM_B in printed


def test_cli_merge_replaces_and_keeps(tmp_path, capsys):
    out = tmp_path / "sessions.csv"
    other = write_export(tmp_path / "older.xlsx", [room(Room_ID="111", Start_Time="2026-07-01 10:00:00",
                                                        End_Time="2026-07-01 11:00:00"),
                                                   room(End_Time="2026-07-04 20:05:00")])
    assert main(["import-tiktok", str(other), "--channel", "glow-us", "--out", str(out)]) == 0
    assert main(["import-tiktok", str(FIXTURE), "--channel", "glow-us", "--out", str(out), "--merge"]) == 0
    assert "replaced 1 session(s)" in capsys.readouterr().out
    sessions = contract.read_table(out, contract.SESSIONS)
    assert sorted(sessions["session_id"]) == sorted(["111", ROOM_A, ROOM_B])
    assert sessions.set_index("session_id").loc[ROOM_A, "end"] == pd.Timestamp("2026-07-04 20:20:54")


def test_cli_refuses_a_bad_export_and_writes_nothing(tmp_path, capsys):
    bad = write_export(tmp_path / "bad.xlsx", [room(Views="n/a")])
    out = tmp_path / "sessions.csv"
    assert main(["import-tiktok", str(bad), "--channel", "glow-us", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.xlsx, row 4, column Views: 'n/a' is not a whole number" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


if __name__ == "__main__":
    print(f"wrote {write_sample_fixture()}")
