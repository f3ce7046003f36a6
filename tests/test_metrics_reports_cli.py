"""The report exports and `python -m metrics weekly | daily | tier-review` on small studios on disk."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import contract
from metrics import load_results
from metrics.cli import main
from metrics.export import weekly_html
from metrics.settings import ScorecardSettings
from metrics.weekly import weekly_scorecard

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "studio"
EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", re.IGNORECASE)
HOSTS = [("H1", "Ana Ruiz", "A", 1800), ("H2", "Bo Li", "B", 900), ("H3", "Cy Park", "B", 400),
         ("H4", "=cmd|' /C calc'!A0", "C", 600)]


def write_studio(folder: Path) -> Path:
    """Two weeks (W47, W48) of one 2-hour stream per host per day, with SKU rows, targets and hosts; the hosts
    take turns at the four start times, so what a host adds can be told apart from what a time sells."""
    folder.mkdir()
    sessions, skus = [], []
    for day in pd.date_range("2026-11-16", "2026-11-29", freq="D"):
        for number, (host, _, _, per_hour) in enumerate(HOSTS):
            start = day + pd.Timedelta(hours=9 + 3 * ((number + day.day_of_week) % len(HOSTS)))
            session = f"S{len(sessions) + 1}"
            sessions.append({
                "session_id": session, "channel": "GlowLab Beauty" if (number + day.day) % 2 else "HomeHub",
                "host_id": host,
                "start": f"{start:%Y-%m-%dT%H:%M:%S}", "end": f"{start + pd.Timedelta(hours=2):%Y-%m-%dT%H:%M:%S}",
                "viewers": 500, "views": 900, "avg_watch_seconds": 240, "product_impressions": 4000,
                "product_clicks": 300, "orders": 23 - number, "gmv": _rate(per_hour, host, day) * 2})
            skus.append({"session_id": session, "sku": f"K{number}", "product_name": f"Product {number}",
                         "product_tier": ("hero", "core", "longtail", "core")[number], "units_sold": 10,
                         "units_refunded": 1, "gmv": _rate(per_hour, host, day) * 2})
    pd.DataFrame(sessions).to_csv(folder / "sessions.csv", index=False)
    pd.DataFrame(skus).to_csv(folder / "sku_sales.csv", index=False)
    pd.DataFrame({"metric": ["gmv", "conversion_rate"], "target": [60000, 0.05]}).to_csv(
        folder / "targets.csv", index=False)
    pd.DataFrame([{"host_id": h, "name": n, "tier": t, "categories": "beauty|home", "hourly_rate": 25,
                   "max_hours_per_week": 40} for h, n, t, _ in HOSTS]).to_csv(folder / "hosts.csv", index=False)
    return folder


def _rate(per_hour: int, host: str, day: pd.Timestamp) -> int:
    """Ana Ruiz earns 1,200 per hour in W47 and 1,800 in W48; everyone else the same both weeks."""
    return 1200 if host == "H1" and day < pd.Timestamp("2026-11-23") else per_hour


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    return write_studio(tmp_path / "studio_in")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# ---------------------------------------------------------------- exports

def test_weekly_html_is_one_self_contained_file(studio, out, capsys):
    assert main(["weekly", "--data", str(studio), "--week", "2026-W48", "--out", str(out / "w48.html"),
                 "--studio", "GlowLab Studio"]) == 0
    assert [p.name for p in out.iterdir()] == ["w48.html"]  # no temp file left behind
    page = (out / "w48.html").read_text(encoding="utf-8")
    assert page.count("* plotly.js v") == 1  # the library inline, once, for every chart
    assert not EXTERNAL_SCRIPT.search(page)
    for text in ("GlowLab Studio", "Weekly scorecard <span>2026-W48</span>", "GMV", "Conversion",
                 "Mon 23 Nov – Sun 29 Nov 2026", "@page { size:A4", "page-break-before:always",
                 "By host, Ana Ruiz (H1)"):
        assert text in page
    assert "=cmd|&#x27; /C calc&#x27;!A0 (H4)" in page or "=cmd|&#x27; /C calc&#x27;!A0" in page  # escaped
    assert "wrote the 2026-W48 scorecard" in capsys.readouterr().out


def test_weekly_html_tiles_carry_the_rag_status(studio):
    card = weekly_scorecard(load_results(studio), "2026-W48", ScorecardSettings())
    page = weekly_html(card, ScorecardSettings())
    # GMV 4 hosts x 7 days: (1800 + 900 + 400 + 600) x 2 x 7 = 51,800 against 60,000: red
    assert '<div class="tile red"><div class="name">GMV<span class="pill red">red</span></div>' \
           '<div class="value">$51,800</div>' in page


def test_weekly_excel_has_one_sheet_per_table_and_neutralised_formulas(studio, out):
    path = out / "w48.xlsx"
    assert main(["weekly", "--data", str(studio), "--week", "2026-W48", "--out", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["KPIs", "Trend", "Best hosts", "Weakest hosts", "Hosts", "Product tiers",
                               "Channels", "Slot times", "Insights"]
    names = [row[1] for row in book["Hosts"].iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in names
    assert not any(str(n).startswith("=") for n in names)


# ---------------------------------------------------------------- weekly: bad input

@pytest.mark.parametrize("args, message", [
    (["--week", "2026-W30", "--out", "r.html"], "no streams in 2026-W30; the results cover 2026-W47 to 2026-W48"),
    (["--week", "2026-W48", "--out", "r.pdf"], "the weekly report is written as .html or .xlsx, not '.pdf'"),
])
def test_weekly_bad_input_exits_2_without_a_file(studio, out, capsys, args, message):
    args[-1] = str(out / args[-1])
    assert main(["weekly", "--data", str(studio), *args]) == 2
    assert message in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_weekly_missing_file_exits_2(studio, out, capsys):
    (studio / "sessions.csv").unlink()
    assert main(["weekly", "--data", str(studio), "--week", "2026-W48", "--out", str(out / "r.html")]) == 2
    assert "sessions.csv: file not found" in capsys.readouterr().err
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------- daily

def test_daily_prints_kpis_and_writes_tables(studio, out, capsys):
    assert main(["daily", "--data", str(studio), "--date", "2026-11-23", "--out", str(out / "d.xlsx")]) == 0
    text = capsys.readouterr().out
    assert "Daily scorecard 2026-11-23: 4 stream(s) on 2026-11-23, compared with the 7 day(s) before." in text
    assert re.search(r"GMV\s+\$7,400\s+\$6,200\s+\+19\.4 %", text)
    assert ("- Ana Ruiz (H1) on 2026-11-23 (1 stream(s), 2.0 live hours): GMV per hour $1,800, 1.5× the host's "
            "usual $1,200 (all 7 earlier days were exactly $1,200).") in text
    assert "Against the forecast (learnt from the streams before the day):" in text
    assert openpyxl.load_workbook(out / "d.xlsx").sheetnames == ["KPIs", "Channels", "Hosts", "Funnel",
                                                                  "Top SKUs", "Anomalies", "Against forecast"]


def test_daily_csv_is_the_kpi_table(studio, out):
    assert main(["daily", "--data", str(studio), "--date", "2026-11-23", "--out", str(out / "d.csv")]) == 0
    kpis = pd.read_csv(out / "d.csv")
    assert kpis.columns.tolist() == ["metric", "label", "today", "trailing_avg", "change_pct"]
    assert kpis.set_index("metric").at["sessions", "today"] == 4


def test_daily_empty_day_says_so_and_writes_nothing(studio, out, capsys):
    assert main(["daily", "--data", str(studio), "--date", "2026-12-25", "--out", str(out / "d.csv")]) == 1
    assert "No streams on 2026-12-25" in capsys.readouterr().out
    assert list(out.iterdir()) == []


def test_a_day_first_date_or_week_is_refused_naming_the_option_with_an_example(studio, out, capsys):
    for command in (["daily", "--date", "23/11/2026", "--out", str(out / "d.csv")],
                    ["weekly", "--week", "48/2026", "--out", str(out / "r.html")],
                    ["tier-review", "--week", "2026-48", "--out", str(out / "hosts.csv")]):
        with pytest.raises(SystemExit) as stop:
            main([command[0], "--data", str(studio), *command[1:]])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        option, value = command[1:3]
        assert f"argument {option}: " in err and f"'{value}' is not" in err, err
        assert ("like 2026-12-10" if option == "--date" else "like 2026-W48") in err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("date, out_name, message", [
    ("2026-11-23", "d.pdf", "the daily scorecard is written as .csv or .xlsx"),
])
def test_daily_bad_input_exits_2(studio, out, capsys, date, out_name, message):
    extra = ["--out", str(out / out_name)] if out_name else []
    assert main(["daily", "--data", str(studio), "--date", date, *extra]) == 2
    assert message in capsys.readouterr().err
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------- tier review

def test_tier_review_writes_a_new_hosts_file(studio, out, capsys):
    path = out / "hosts_new.csv"
    assert main(["tier-review", "--data", str(studio), "--weeks", "2", "--out", str(path)]) == 0
    hosts = contract.read_table(path, contract.HOSTS).set_index("host_id")
    # tier B's average host sells sqrt(900 x 400) = 600 per hour: Bo Li at 1.5x is promoted, Cy Park at 0.67x demoted
    assert hosts["tier"].to_dict() == {"H1": "A", "H2": "A", "H3": "C", "H4": "C"}
    assert hosts.at["H1", "categories"] == ("beauty", "home")
    assert hosts.at["H4", "name"] == "'=cmd|' /C calc'!A0"  # neutralised on the way out
    printed = capsys.readouterr().out
    assert "promote Bo Li (H2) B -> A" in printed and "2 tier change(s), 2 kept" in printed


def test_tier_review_needs_hosts_csv(studio, out, capsys):
    (studio / "hosts.csv").unlink()
    assert main(["tier-review", "--data", str(studio), "--out", str(out / "h.csv")]) == 2
    assert "hosts.csv: file not found" in capsys.readouterr().err
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------- the committed sample studio

@pytest.mark.skipif(not (SAMPLE / "sessions.csv").exists(), reason="sample_data/studio/ is not generated yet")
def test_reports_on_the_sample_studio(out, capsys):
    assert main(["weekly", "--data", str(SAMPLE), "--week", "2026-W48", "--out", str(out / "w.html")]) == 0
    assert main(["weekly", "--data", str(SAMPLE), "--week", "2026-W48", "--out", str(out / "w.xlsx")]) == 0
    assert main(["daily", "--data", str(SAMPLE), "--date", "2026-11-23"]) == 0
    assert "Daily scorecard 2026-11-23" in capsys.readouterr().out
    assert main(["tier-review", "--data", str(SAMPLE), "--week", "2026-W48", "--out", str(out / "h.csv")]) == 0
