"""Run-of-show for the hand-made studio's slots (see test_workflows_payroll)."""
from datetime import date

import pandas as pd
from test_workflows_payroll import plan, studio, text

import contract
from contract.plan import PRODUCTS
from workflows.claims import default_rules
from workflows.run_of_show import blocks_frame, plan_blocks, render_html, run_of_show, show_findings

PRODUCTS_CSV = """sku,name,product_tier,category,price,talking_points,claims
SKU4,Lip Oil,longtail,beauty,9,Tinted|Non-sticky,
SKU2,Calm Mask,core,beauty,19,Ten-minute mask,dermatologist tested
SKU1,Glow <Serum>,hero,Beauty,29,Clinically proven to cure acne|Layer under SPF,
SKU3,Toner,core,beauty,15,Alcohol-free,
SKU9,Night Cream,hero,skincare,39,Rich,
"""
# Sold on 2026-11-30 in the 2-hour session X1: SKU1 19 net (9.5/h), SKU3 10 (5/h), SKU2 4 (2/h).
MORE_SKU_CSV = """session_id,sku,product_tier,units_sold,units_refunded,gmv
X1,SKU2,core,5,1,95
X1,SKU3,core,10,0,150
"""


def shows(day: date = date(2026, 12, 1), host: str | None = None):
    s = studio()
    sku_sales = pd.concat([s["sku_sales"], contract.parse_table(text(MORE_SKU_CSV), contract.SKU_SALES)],
                          ignore_index=True)
    products = contract.parse_table(text(PRODUCTS_CSV), PRODUCTS)
    return run_of_show(plan(), s["slots"], s["hosts"], products, s["sessions"], sku_sales, day, host)


def test_products_follow_the_category_hero_first_then_fastest_within_a_tier():
    (show,) = shows()
    assert show.slot_id == "S3" and show.host_name == "Bo" and show.assistants == ()
    assert show.products["sku"].tolist() == ["SKU1", "SKU3", "SKU2", "SKU4"]  # SKU4 has no recent sales
    assert show.products["units_per_hour"].tolist()[:3] == [9.5, 5.0, 2.0]


def test_an_hour_slot_gets_opening_four_product_blocks_flash_deal_and_closing():
    (show,) = shows()
    table = blocks_frame([show])
    assert table["block"].tolist() == ["opening", "products", "products", "products", "products", "flash deal",
                                       "closing"]
    assert [f"{t:%H:%M}" for t in table["start"]] == ["19:00", "19:05", "19:17", "19:28", "19:39", "19:50",
                                                      "19:55"]
    assert table["end"].iloc[-1] == pd.Timestamp("2026-12-01T20:00:00")
    assert table["products"].tolist()[1:6] == ["Glow <Serum>", "Toner", "Calm Mask", "Lip Oil", "Glow <Serum>"]


def test_a_short_slot_drops_the_flash_deal_and_a_slot_without_products_keeps_one_selling_block():
    start = pd.Timestamp("2026-12-01T10:00:00")
    short = plan_blocks(start, start + pd.Timedelta(minutes=20), ["A", "B"])
    assert [(b.kind, int((b.end - b.start).total_seconds() // 60), b.skus) for b in short] == [
        ("opening", 5, ()), ("products", 10, ("A", "B")), ("closing", 5, ())]
    empty = plan_blocks(start, start + pd.Timedelta(minutes=60), [])
    assert [b.kind for b in empty] == ["opening", "products", "closing"]


def test_per_host_view_and_assistants():
    (show,) = shows(date(2026, 11, 30), host="A1")
    assert show.slot_id == "S1" and show.host_name == "Ana" and show.assistants == ("Cy",)
    assert [s.slot_id for s in shows(date(2026, 11, 30))] == ["S2", "S1"]  # time order


def test_html_is_escaped_printable_and_highlights_flagged_claims():
    page = render_html(shows(), "Run-of-show 2026-12-01 <all>", default_rules())
    assert "<title>Run-of-show 2026-12-01 &lt;all&gt;</title>" in page
    assert "Glow &lt;Serum&gt;" in page and "<Serum>" not in page
    assert page.count('<section class="slot">') == 1 and "page-break-after: always" in page
    assert '">Clinically proven</mark> to <mark title="Medical claim' in page


def test_findings_of_a_run_of_show_list_each_featured_product_once():
    found = show_findings(shows(date(2026, 11, 30)), default_rules())
    assert found["matched"].tolist() == ["Clinically proven", "cure"]
