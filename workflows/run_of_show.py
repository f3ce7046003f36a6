"""The run-of-show of each published slot: time blocks, who is on, and which products to feature in
which order with their talking points and claims; printable as HTML per day or per host.

Products follow the slot's category, hero first, then core, then longtail, and within a tier the
fastest sellers of the last four weeks first (SKU velocity: units_net per live hour).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from contract import PRODUCT_TIERS
from contract.plan import StaffingPlan
from metrics import sku_velocity
from workflows.claims import Review, Rule, Transition, highlight_html, scan_products, scan_text
from workflows.plan import staffing

PRODUCT_COLUMNS = ("sku", "name", "product_tier", "price", "units_per_hour", "talking_points", "claims")
UNSTAFFED = "unstaffed"


@dataclass(frozen=True)
class RunOfShowSettings:
    """Block lengths in minutes; the flash deal takes a share of the slot, rounded to 5 minutes."""

    opening_minutes: int = 5
    closing_minutes: int = 5
    flash_share: float = 0.1
    min_flash_minutes: int = 5
    min_product_minutes: int = 10  # shorter product blocks give a host no time to demo
    velocity_days: int = 28


@dataclass(frozen=True)
class Block:
    """A stretch of the show: opening, products, flash deal or closing, with the SKUs it features."""

    start: pd.Timestamp
    end: pd.Timestamp
    kind: str
    skus: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotShow:
    """One slot's run-of-show."""

    slot_id: str
    channel: str
    room: str
    category: str
    product_tier: str
    start: pd.Timestamp
    end: pd.Timestamp
    host_id: str
    host_name: str
    assistants: tuple[str, ...]
    blocks: tuple[Block, ...]
    products: pd.DataFrame  # PRODUCT_COLUMNS, in the order to feature them


def recent_velocity(sessions: pd.DataFrame, sku_sales: pd.DataFrame, day: date, days: int = 28) -> pd.Series:
    """units_per_hour per SKU over the sessions of the `days` days before `day` (the metrics' formula)."""
    since = pd.Timestamp(day) - pd.Timedelta(days=days)
    recent = sessions.loc[(sessions["start"] >= since) & (sessions["start"] < pd.Timestamp(day))]
    sold = sku_sales.loc[sku_sales["session_id"].isin(recent["session_id"])]
    if sold.empty:
        return pd.Series(dtype="float64")
    return sku_velocity(recent, sold, by=[]).set_index("sku")["units_per_hour"]


def featured_products(products: pd.DataFrame, category: str, velocity: pd.Series) -> pd.DataFrame:
    """The category's products, hero first, then core, then longtail, fastest first within a tier."""
    chosen = products.loc[products["category"].str.casefold() == category.casefold()]
    chosen = chosen.assign(units_per_hour=chosen["sku"].map(velocity).astype("float64"),
                           tier_rank=chosen["product_tier"].map({t: i for i, t in enumerate(PRODUCT_TIERS)}))
    chosen = chosen.sort_values(["tier_rank", "units_per_hour", "sku"], ascending=[True, False, True],
                                na_position="last", kind="stable")
    return chosen[list(PRODUCT_COLUMNS)].reset_index(drop=True)


def plan_blocks(start: pd.Timestamp, end: pd.Timestamp, skus: list[str],
                settings: RunOfShowSettings = RunOfShowSettings()) -> tuple[Block, ...]:
    """Opening, product blocks (at least `min_product_minutes` each), flash deal, closing.

    A short slot keeps its opening and closing to a quarter of it each and drops the flash deal
    when that would leave less than one product block.
    """
    length = int((end - start).total_seconds() // 60)
    opening = min(settings.opening_minutes, length // 4)
    closing = min(settings.closing_minutes, length // 4)
    flash = max(settings.min_flash_minutes, 5 * round(length * settings.flash_share / 5))
    if length - opening - closing - flash < settings.min_product_minutes or not skus:
        flash = 0
    selling = length - opening - closing - flash
    count = max(1, min(len(skus), selling // settings.min_product_minutes))
    groups = [tuple(g) for g in np.array_split(np.array(skus, dtype=object), count)] if skus else [()]
    minutes = [selling // count + (1 if i < selling % count else 0) for i in range(count)]
    parts = [(opening, "opening", ())] + [(m, "products", g) for m, g in zip(minutes, groups)]
    parts += [(flash, "flash deal", tuple(skus[:1]))] if flash else []
    parts += [(closing, "closing", ())]
    blocks, at = [], start
    for span, kind, featured in parts:
        if span > 0:
            blocks.append(Block(at, at + pd.Timedelta(minutes=span), kind, featured))
            at += pd.Timedelta(minutes=span)
    return tuple(blocks)


def run_of_show(plan: StaffingPlan, slots: pd.DataFrame, hosts: pd.DataFrame, products: pd.DataFrame,
                sessions: pd.DataFrame, sku_sales: pd.DataFrame, day: date, host: str | None = None,
                settings: RunOfShowSettings = RunOfShowSettings()) -> list[SlotShow]:
    """The run-of-show of each slot starting on `day`, in time order; with `host`, only that person's
    slots (as host or assistant). Unstaffed slots are kept in the day's view, marked unstaffed."""
    staff = staffing(plan, slots, hosts)
    if host is not None and host not in set(hosts["host_id"]):
        raise ValueError(f"'{host}' is not in hosts.csv")
    todays = slots.loc[slots["start"].dt.normalize() == pd.Timestamp(day)].sort_values(["start", "channel"])
    if host is not None:
        todays = todays.loc[todays["slot_id"].isin(staff.loc[staff["person_id"] == host, "slot_id"])]
    names = hosts.set_index("host_id")["name"]
    velocity = recent_velocity(sessions, sku_sales, day, settings.velocity_days)
    shows = []
    for slot in todays.itertuples(index=False):
        on = staff.loc[staff["slot_id"] == slot.slot_id]
        host_ids = on.loc[on["role"] == "host", "person_id"].tolist()
        featured = featured_products(products, slot.category, velocity)
        shows.append(SlotShow(
            slot.slot_id, slot.channel, slot.room, slot.category, slot.product_tier, slot.start, slot.end,
            host_ids[0] if host_ids else "", names[host_ids[0]] if host_ids else UNSTAFFED,
            tuple(names[p] for p in on.loc[on["role"] == "assistant", "person_id"]),
            plan_blocks(slot.start, slot.end, featured["sku"].tolist(), settings), featured))
    return shows


def blocks_frame(shows: list[SlotShow]) -> pd.DataFrame:
    """One row per block of every show (for a table on screen): slot, times, kind, product names."""
    rows = []
    for show in shows:
        name = show.products.set_index("sku")["name"]
        rows += [{"slot_id": show.slot_id, "channel": show.channel, "host": show.host_name, "start": b.start,
                  "end": b.end, "block": b.kind, "products": ", ".join(name[s] for s in b.skus)}
                 for b in show.blocks]
    return pd.DataFrame(rows, columns=["slot_id", "channel", "host", "start", "end", "block", "products"])


def show_findings(shows: list[SlotShow], rules: list[Rule]) -> pd.DataFrame:
    """The restricted claims in the talking points and claims of every product the shows feature."""
    featured = [s.products for s in shows if len(s.products)]
    if not featured:
        return scan_products(pd.DataFrame(columns=["sku", "name", "talking_points", "claims"]), rules)
    return scan_products(pd.concat(featured).drop_duplicates("sku"), rules)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-bottom: .2rem; }
.meta { color: #444; margin: .2rem 0 .8rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
mark { background: #ffd54f; }
ul { margin: 0; padding-left: 1.1rem; }
section.slot { page-break-after: always; break-after: page; }
@media print { body { margin: 0; } section.slot:last-child { page-break-after: auto; break-after: auto; } }
"""


def render_html(shows: list[SlotShow], title: str, rules: list[Rule] | None = None) -> str:
    """A self-contained printable page, one slot per printed page; flagged claims are highlighted."""
    sections = "\n".join(_slot_html(show, rules or []) for show in shows) or "<p>No slots on this day.</p>"
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{_CSS}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{sections}\n</body></html>\n")


def _slot_html(show: SlotShow, rules: list[Rule]) -> str:
    e = html.escape
    name = show.products.set_index("sku")["name"]
    crew = f"Host: {e(show.host_name)}" + (f" · Assistants: {e(', '.join(show.assistants))}" if show.assistants else "")
    where = f"{e(show.channel)}" + (f" · room {e(show.room)}" if show.room else "")
    blocks = "".join(
        f"<tr><td>{b.start:%H:%M}–{b.end:%H:%M}</td><td>{e(b.kind)}</td>"
        f"<td>{e(', '.join(name[s] for s in b.skus))}</td></tr>" for b in show.blocks)
    products = "".join(
        f"<tr><td>{i}</td><td>{e(p.name)}<br><small>{e(p.sku)} · {e(p.product_tier)}</small></td>"
        f"<td>{'' if pd.isna(p.price) else f'${p.price:,.2f}'}</td>"
        f"<td>{'' if pd.isna(p.units_per_hour) else f'{p.units_per_hour:.1f}'}</td>"
        f"<td>{_items_html(p.talking_points, rules)}</td><td>{_items_html(p.claims, rules)}</td></tr>"
        for i, p in enumerate(show.products.itertuples(index=False), start=1))
    return (f"<section class=\"slot\">\n<h2>{show.start:%a %d %b %H:%M}–{show.end:%H:%M} · {where} · "
            f"{e(show.category)} ({e(show.product_tier)})</h2>\n<p class=\"meta\">{crew} · slot {e(show.slot_id)}</p>\n"
            f"<table><tr><th>Time</th><th>Block</th><th>Featuring</th></tr>{blocks}</table>\n"
            f"<table><tr><th>#</th><th>Product</th><th>Price</th><th>Units/h (4 wk)</th><th>Talking points</th>"
            f"<th>Claims</th></tr>{products}</table>\n</section>")


def _items_html(items: tuple[str, ...], rules: list[Rule]) -> str:
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{highlight_html(t, scan_text(t, rules))}</li>" for t in items) + "</ul>"


def slot_brief_id(day: date, slot_id: str) -> str:
    """The review subject of one slot's run-of-show: '2026-11-27/W48-GLB-FRI-1900'."""
    return f"{day.isoformat()}/{slot_id}"


def day_brief_id(day: date, person_id: str) -> str:
    """The review subject of one person's day (all their slots of the day): '2026-11-27/P02'."""
    return f"{day.isoformat()}/{person_id}"


def review_subjects(day: date, shows: list[SlotShow], person_id: str = "") -> dict[str, list[SlotShow]]:
    """What can be reviewed among `shows` of `day`: each slot's brief, and with a person (whose slots `shows`
    are) their day brief first."""
    slots = {slot_brief_id(day, show.slot_id): [show] for show in shows}
    return {day_brief_id(day, person_id): shows, **slots} if person_id else slots


def reviews_from_decisions(decisions: pd.DataFrame, subject_ids: list[str]) -> dict[str, Review]:
    """Each subject's review rebuilt from its stored steps (subject_id, status, user, at, comment; oldest
    first): a subject without a step is a draft."""
    found = {}
    for subject_id in subject_ids:
        status, history = "draft", []
        for row in decisions.loc[decisions["subject_id"] == subject_id].itertuples():
            history.append(Transition(status, row.status, row.user, row.at, row.comment))
            status = row.status
        found[subject_id] = Review(subject_id, status, tuple(history))
    return found
