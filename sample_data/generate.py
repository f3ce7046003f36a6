"""A seeded sample studio: shops, hosts, next week's calendar and the livestreams of the weeks before it.

The past weeks' slots, their published plans (hosts and assistants) and the last week's invoices go in
a `history/` sub-folder, so that slots.csv holds only the weeks to plan (`python -m scheduler solve`
plans every slot of slots.csv) while the store's seed and `python -m workflows` read both.

The numbers follow how a TikTok Shop studio behaves: prime-time hero streams sell most, weekends sell
more, tier A hosts convert better than tier C, a few hosts clearly over- or under-perform, viewers
ramp up, plateau and drift away during a stream. Everything comes from `numpy.random.default_rng`
streams spawned from one seed, so the same arguments always give the same files (today's date is
never used). Large studios (a year of 100 shops) are generated with vectorised numpy, not row loops.

    python -m sample_data.generate --seed 7 --channels 3 --hosts 25 --weeks 8 --out sample_data/studio
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from contract.files import atomic_path, write_csv
from contract.plan import StaffingPlan
from contract.weeks import week_monday
from metrics import scorecard
from sample_data.roster_template import roster_template
from workflows import Period, pay, timesheet

FILES = ("hosts.csv", "availability.csv", "availability_template.csv", "availability_exceptions.csv", "slots.csv",
         "sessions.csv", "sku_sales.csv", "viewer_minutes.csv", "targets.csv", "products.csv", "history/slots.csv",
         "history/assignments.csv", "history/assistants.csv", "history/invoices.csv")
ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

# The daily pattern of a shop's room: start minute, length and product tier of each slot. Slots leave
# 30 minutes between them for the room's changeover; the 22:30 slot crosses midnight.
SLOT_START = np.array([480, 600, 750, 870, 1020, 1140, 1350])  # 08:00 10:00 12:30 14:30 17:00 19:00 22:30
SLOT_MINUTES = np.array([90, 120, 90, 120, 90, 180, 120])
SLOT_TIER = np.array([2, 2, 1, 1, 1, 0, 2])  # index into PRODUCT_TIERS: mornings longtail, prime time hero
DAYPART = np.array([0.7, 0.8, 0.85, 0.9, 1.0, 1.25, 0.9])  # how much a slot sells for its tier
HHMM = np.array([f"{m // 60:02d}{m % 60:02d}" for m in SLOT_START], dtype=object)
PRIORITY = (5, 3, 6, 1, 4, 2, 0)  # which slots a shop runs first when it runs fewer than seven a day
EARLY, EVENING = 0, 4  # the 08:00 and 17:00 slots, used by the special cases below
SPANISH_SLOTS = [EVENING]  # a Spanish-audience shop streams its 17:00 slot in Spanish
MAX_SLOTS_PER_DAY = len(SLOT_START)
WEEKDAY_LIFT = np.array([1.0, 0.95, 1.0, 1.05, 1.1, 1.25, 1.2])

PRODUCT_TIERS = ("hero", "core", "longtail")
TIER_GMV = {"hero": (3000, 12000, 6000), "core": (1000, 4000, 2200), "longtail": (300, 1500, 700)}
SKUS_PER_TIER = (3, 6, 8)  # 17 per shop and category: a prime, so any stride walks distinct SKUs
SKUS_PER_BLOCK = sum(SKUS_PER_TIER)
TIER_PRICE = ((28.0, 60.0), (16.0, 38.0), (8.0, 22.0))

# How a host's hidden skill drives a stream: viewers grow with skill ** VIEWERS_POWER and conversion with
# skill ** CONVERSION_POWER, so the GMV a host sells in a slot is the slot's value times skill ** GMV_POWER.
VIEWERS_POWER, CONVERSION_POWER = 0.35, 0.9
GMV_POWER = VIEWERS_POWER + CONVERSION_POWER
WEEKLY_TREND = 1.01  # every slot sells this much more each week of the results
GUEST_SKILL = 0.95  # the skill factor of a guest's stream

# Staging: a slot's weights for a host are multiplied by exp(STAGING x primeness x strength), primeness in
# [-1, 1] (log of the slot's value over its tier's median, over PRIME_SPREAD), strength the host's log skill over
# their tier's mean: a tier's best hosts get most of its prime slots, as associates give them.
STAGING, PRIME_SPREAD = 12.0, 0.4

ROOMS_NAME = "Studio {number}"
INTERNAL = ["session_id", "position", "channel_index"]
NAMED_CHANNELS = (
    ("GlowLab Beauty", "GLB", ("beauty", "skincare", "haircare")),
    ("HomeNest Living", "HNL", ("home", "kitchen")),
    ("ActiveFit Gear", "AFG", ("fitness", "electronics")),
    ("PawPal Pets", "PPP", ("pets",)),
    ("Urban Thread Fashion", "UTF", ("fashion", "accessories")),
    ("SnackBox Treats", "SBT", ("snacks",)),
    ("Gadget Grove Electronics", "GGE", ("electronics", "accessories")),
    ("Luxe Locks Hair", "LLH", ("haircare", "beauty")),
)
BRANDS = ("Aurora", "Bloom", "Cove", "Dune", "Ember", "Fable", "Harbor", "Ivy", "Juniper", "Kindred", "Lumen",
          "Maple", "Nova", "Orchid", "Pebble", "Quartz", "Ripple", "Sage", "Tidal", "Verve", "Willow", "Zest",
          "Coral", "Drift", "Halo", "Mosaic", "Nimbus", "Prism", "Solstice", "Velvet")
RELATED = {
    "beauty": ("skincare", "haircare"), "skincare": ("beauty",), "haircare": ("beauty",),
    "fashion": ("accessories",), "accessories": ("fashion", "electronics"), "home": ("kitchen",),
    "kitchen": ("home", "snacks"), "fitness": ("snacks", "electronics"), "electronics": ("accessories",),
    "pets": ("home",), "snacks": ("kitchen",),
}
CATEGORIES = tuple(RELATED)

FIRST_NAMES = ("Ava", "Mia", "Chloe", "Zoe", "Lily", "Grace", "Hannah", "Nora", "Ella", "Riley", "Jade", "Tessa",
               "Olivia", "Emma", "Priya", "Aisha", "Mei", "Yuna", "Kayla", "Brooke", "Jordan", "Tyler", "Ethan",
               "Noah", "Liam", "Marcus", "Devon", "Kai", "Jasmine", "Sasha", "Naomi", "Leah", "Ruby", "Ivy",
               "Tara", "Nina", "Owen", "Caleb", "Derek", "Simone")
LAST_NAMES = ("Chen", "Nguyen", "Patel", "Kim", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson",
              "Taylor", "Anderson", "Thomas", "Moore", "Jackson", "Lee", "Harris", "Clark", "Lewis", "Walker",
              "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter",
              "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
              "Stewart")
SPANISH_FIRST = ("Sofia", "Valentina", "Camila", "Lucia", "Isabella", "Mariana", "Daniela", "Gabriela", "Ana",
                 "Paula", "Mateo", "Diego", "Santiago", "Alejandro", "Carlos", "Javier", "Elena", "Ximena",
                 "Luis", "Andrea")
SPANISH_LAST = ("Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez",
                "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Morales", "Ortiz", "Ruiz",
                "Castillo", "Vargas")
GUESTS = ("GUEST-MAYA-ROSE", "GUEST-CHEF-LEO", "GUEST-DRBEAUTY", "GUEST-JAYFIT", "GUEST-TECHTINA")

# Availability shifts as (start, end) minutes from midnight; an end past 1440 is the next morning.
SHIFTS = {"morning": (540, 1020), "afternoon": (840, 1410), "evening": (1020, 1560), "long": (600, 1320),
          "early": (450, 930)}
SPLIT_SHIFT = ((540, 750), (1080, 1380))
SHIFTS_BY_TIER = {"A": ("afternoon", "evening"),
                  "B": ("morning", "morning", "afternoon", "evening", "long", "early"),
                  "C": ("morning", "afternoon", "evening", "evening", "long", "early"),
                  "assistant": ("afternoon", "evening")}  # repeated shifts are the more common ones

# targets.csv: the weekly target as a multiple of the last results week, so the sample hits some
# (green), is just short of some (amber, within 10 %) and misses others (red).
TARGET_FACTORS = {
    "gmv": 1.06, "sessions": 1.0, "live_hours": 0.95, "viewers": 1.2, "orders": 1.04,
    "conversion_rate": 0.9, "retention_rate": 1.25, "gmv_per_hour": 1.05, "ctr": 0.95,
    "click_to_order_rate": 1.18, "units_per_hour": 0.9, "gpm": 1.08,
}


@dataclass(frozen=True)
class Channel:
    """A shop that goes live from its own room."""

    name: str
    code: str
    categories: tuple[str, ...]
    spanish: bool  # has a Spanish-speaking audience: some afternoon slots are streamed in Spanish
    popularity: float


# ---------------------------------------------------------------------------------------------------
# Catalogue text: names, talking points and claims per category


@dataclass(frozen=True)
class CategoryText:
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    talking_points: tuple[str, ...]
    claims: tuple[str, ...]  # safe claims
    risky: tuple[str, ...]  # claims a compliance check must catch


NEAR_MISSES = ("dermatologist tested", "best-selling in our shop this month", "free returns for 30 days",
               "made in an FDA-registered facility", "$10 off our usual price today only")
TEXT = {
    "beauty": CategoryText(
        ("Lip Tint", "Cushion Foundation", "Setting Spray", "Brow Pencil", "Blush Stick", "Mascara",
         "Eyeshadow Palette", "Highlighter", "Concealer", "Lip Oil"),
        ("Velvet", "Dewy", "Matte", "Glow", "Soft-Focus", "Long-Wear"),
        ("Buildable coverage that stays put through a full workday.",
         "Swatch it on camera so viewers see the shade range.",
         "Comes in 12 shades from fair to deep.", "Light enough to layer without caking.",
         "Show the mirror-compact packaging: it fits in any bag."),
        ("cruelty-free", "vegan formula", "fragrance-free", "long-wearing up to 12 hours", "dermatologist tested"),
        ("100% safe for every skin type", "the best mascara in the world", "results guaranteed")),
    "skincare": CategoryText(
        ("Vitamin C Serum", "Hydrating Toner", "Night Cream", "Clay Mask", "Sunscreen SPF 50", "Eye Cream",
         "Cleansing Balm", "Niacinamide Serum", "Retinol Cream", "Sheet Mask Set"),
        ("Brightening", "Barrier", "Daily", "Overnight", "Calming", "Hydra"),
        ("Apply two drops after cleansing, morning and night.", "Absorbs in seconds and leaves no sticky finish.",
         "Pair it with sunscreen in the morning.", "Show the texture on the back of your hand.",
         "A 30 ml bottle lasts about two months."),
        ("dermatologist tested", "fragrance-free", "suitable for sensitive skin", "non-comedogenic", "vegan formula"),
        ("clinically proven to cure acne", "guaranteed results in 7 days", "before and after: wrinkles gone",
         "the best serum in the world", "heals eczema overnight")),
    "haircare": CategoryText(
        ("Repair Shampoo", "Leave-In Conditioner", "Hair Oil", "Curl Cream", "Heat Protectant", "Scalp Scrub",
         "Hair Mask", "Dry Shampoo", "Styling Gel"),
        ("Silk", "Bond", "Argan", "Volume", "Curl", "Smooth"),
        ("Work a coin-sized amount through damp hair.", "Protects up to 230 C from hot tools.",
         "Show the before-styling texture and then the finish.",
         "Sulfate-free, so it is gentle on colour-treated hair."),
        ("sulfate-free", "colour-safe", "cruelty-free", "salon-grade ingredients"),
        ("stops hair loss for good", "#1 in the world for hair growth")),
    "fashion": CategoryText(
        ("Oversized Hoodie", "Wide-Leg Jeans", "Ribbed Tank", "Linen Shirt", "Cargo Pants", "Knit Cardigan",
         "Slip Dress", "Puffer Vest", "Bomber Jacket"),
        ("Everyday", "Relaxed", "Cropped", "Classic", "Cozy", "Street"),
        ("Show the fit on camera in two sizes.", "Machine washable and keeps its shape.",
         "Style it three ways: office, weekend and night out.", "Sizes XS to 3XL with a size chart pinned in chat."),
        ("machine washable", "100% cotton", "true to size", "free exchanges on sizing"),
        ("lowest price ever", "cheapest anywhere online")),
    "accessories": CategoryText(
        ("Tote Bag", "Crossbody Bag", "Sunglasses", "Hair Claw Set", "Phone Lanyard", "Watch Strap", "Beanie",
         "Scrunchie Pack", "Card Wallet"),
        ("Minimal", "Gold-Tone", "Vegan Leather", "Classic", "Mini", "Everyday"),
        ("Holds a phone, wallet and keys with room to spare.", "Show both colourways side by side.",
         "The strap adjusts from shoulder to crossbody.", "Gift-ready box included for the holidays."),
        ("vegan leather", "UV400 lenses", "nickel-free", "one-year warranty"),
        ("lowest price ever", "risk-free purchase")),
    "home": CategoryText(
        ("Throw Blanket", "Scented Candle", "Storage Baskets", "Linen Sheet Set", "LED Strip Lights", "Diffuser",
         "Bath Towels", "Wall Mirror", "Drawer Organisers"),
        ("Cloud", "Nordic", "Cozy", "Minimal", "Hotel", "Boho"),
        ("Show how it looks in the room under warm light.", "Fits a standard queen bed with deep pockets.",
         "Burns for about 45 hours.", "Folds flat when you do not need it."),
        ("machine washable", "OEKO-TEX certified cotton", "soy wax", "easy assembly"),
        ("100% safe for kids and pets", "lowest price ever")),
    "kitchen": CategoryText(
        ("Air Fryer Liners", "Knife Set", "Nonstick Pan", "Glass Meal-Prep Set", "Milk Frother", "Spice Rack",
         "Silicone Utensils", "Cold Brew Maker", "Cutting Board"),
        ("Chef", "Pro", "Everyday", "Compact", "Stackable", "Easy-Clean"),
        ("Cook something live so viewers see it work.", "Dishwasher safe: show the cleanup in ten seconds.",
         "Stacks to save half the cupboard space.", "Works on gas, electric and induction."),
        ("dishwasher safe", "BPA-free", "PFOA-free coating", "two-year warranty"),
        ("burns belly fat while you cook", "lowest price ever")),
    "fitness": CategoryText(
        ("Resistance Bands", "Yoga Mat", "Adjustable Dumbbells", "Jump Rope", "Foam Roller", "Gym Bag",
         "Grip Socks", "Ankle Weights", "Massage Gun"),
        ("Flex", "Core", "Pro", "Studio", "Power", "Active"),
        ("Demo three moves you can do in a small flat.", "Five resistance levels, colour-coded.",
         "Non-slip on both sides, even when sweaty.", "Packs into the included carry bag."),
        ("sweat-resistant", "non-slip", "latex-free", "one-year warranty"),
        ("lose 10 lbs in a week", "guaranteed weight loss")),
    "electronics": CategoryText(
        ("Wireless Earbuds", "Phone Tripod", "Ring Light", "Power Bank", "Smart Watch", "Bluetooth Speaker",
         "Charging Stand", "Mini Projector", "Webcam"),
        ("Nano", "Max", "Pro", "Air", "Go", "Ultra"),
        ("Show the pairing in under ten seconds.", "Up to 30 hours of battery with the case.",
         "Charge it live to show the fast-charge speed.", "Compatible with iPhone and Android."),
        ("one-year warranty", "USB-C fast charging", "IPX5 water resistant", "FCC certified"),
        ("FDA-approved sleep tracking", "the best earbuds in the world")),
    "pets": CategoryText(
        ("Dog Chews", "Cat Tree", "Slow Feeder Bowl", "Pet Bed", "Grooming Brush", "Leash Set", "Cat Toy Set",
         "Dental Sticks", "Litter Mat"),
        ("Happy", "Calm", "Cozy", "Playful", "Fresh", "Sturdy"),
        ("Bring a pet on camera: viewers stay longer.", "Sizes for small, medium and large dogs.",
         "The cover unzips and goes in the washer.", "Made without artificial colours."),
        ("grain-free recipe", "machine-washable cover", "vet-approved design", "made in the USA"),
        ("cures separation anxiety", "100% safe for all pets")),
    "snacks": CategoryText(
        ("Protein Bars", "Trail Mix", "Dried Mango", "Matcha Latte Mix", "Rice Crackers", "Dark Chocolate Bites",
         "Jerky Pack", "Granola Clusters", "Sparkling Tea"),
        ("Crunchy", "Zesty", "Classic", "Honey", "Spicy", "Sea-Salt"),
        ("Taste it live and describe the crunch.", "12 grams of protein per bar.",
         "Show the variety box: six flavours in one order.", "Resealable pouch keeps it fresh for weeks."),
        ("gluten-free", "no added sugar", "non-GMO", "vegan"),
        ("melts away belly fat", "scientifically proven to boost metabolism")),
}


# ---------------------------------------------------------------------------------------------------
# Shops and catalogue


def make_channels(rng: np.random.Generator, count: int) -> list[Channel]:
    """Named shops first, then unique '<Brand> <Category>' shops with one to three related categories."""
    named = [(name, code, cats) for name, code, cats in NAMED_CHANNELS[:count]]
    used_names = {name for name, _, _ in named}
    combos = [(brand, category) for category in CATEGORIES for brand in BRANDS]
    order = rng.permutation(len(combos))
    for index in order:
        if len(named) >= count:
            break
        brand, category = combos[index]
        name = f"{brand} {category.title()}"
        if name in used_names:
            continue
        extra = rng.integers(0, len(RELATED[category]) + 1)
        cats = (category, *RELATED[category][:extra])
        named.append((name, "", cats))
        used_names.add(name)
    if len(named) < count:
        raise ValueError(f"at most {len(NAMED_CHANNELS) + len(combos)} channels can be generated")
    codes: set[str] = {code for _, code, _ in named if code}
    channels = []
    popularity = np.clip(rng.lognormal(0.0, 0.2, count), 0.7, 1.4)
    for index, (name, code, cats) in enumerate(named):
        code = code or _unique_code(name, codes)
        codes.add(code)
        channels.append(Channel(name, code, cats, spanish=index % 3 == 1, popularity=float(popularity[index])))
    return channels


def _unique_code(name: str, taken: set[str]) -> str:
    """Three capitals from the shop's name ('Nova Skincare' -> 'NOS'), numbered when already taken."""
    words = name.upper().split()
    code = (words[0][:2] + words[-1][0])
    number = 1
    candidate = code
    while candidate in taken:
        candidate = f"{code[:2]}{number}"
        number += 1
    return candidate


def make_products(rng: np.random.Generator, channels: list[Channel]) -> pd.DataFrame:
    """17 SKUs per shop and category (3 hero, 6 core, 8 longtail), a handful with claims that break the rules."""
    rows = []
    for channel in channels:
        brand = channel.name.split()[0]
        for category in channel.categories:
            text = TEXT[category]
            for tier_index, count in enumerate(SKUS_PER_TIER):
                low, high = TIER_PRICE[tier_index]
                for _ in range(count):
                    number = len(rows) + 1
                    noun = text.nouns[rng.integers(len(text.nouns))]
                    adjective = text.adjectives[rng.integers(len(text.adjectives))]
                    points = rng.choice(len(text.talking_points), size=rng.integers(2, 4), replace=False)
                    claims = list(rng.choice(text.claims, size=rng.integers(1, 3), replace=False))
                    if rng.random() < 0.15:
                        claims.append(NEAR_MISSES[rng.integers(len(NEAR_MISSES))])
                    rows.append({
                        "sku": f"{channel.code}-{category[:3].upper()}-{number:04d}",
                        "name": f"{brand} {adjective} {noun}",
                        "product_tier": PRODUCT_TIERS[tier_index],
                        "category": category,
                        "price": round(float(rng.uniform(low, high)), 0) - 0.01,
                        "talking_points": "|".join(text.talking_points[i] for i in sorted(points)),
                        "claims": claims,
                        "channel": channel.code,
                    })
    products = pd.DataFrame(rows)
    risky = rng.choice(len(products), size=max(4, len(products) // 12), replace=False)
    for index in risky:
        pool = TEXT[products.at[index, "category"]].risky
        products.at[index, "claims"] = [*products.at[index, "claims"], pool[rng.integers(len(pool))]]
    products["claims"] = products["claims"].map("|".join)
    return products


# ---------------------------------------------------------------------------------------------------
# Roster


def make_hosts(rng: np.random.Generator, channels: list[Channel], count: int) -> tuple[pd.DataFrame, np.ndarray,
                                                                                         np.ndarray]:
    """Hosts (tier mix 20/40/40, each homed at one shop) then production assistants (about 1 per 8 hosts).

    Returns the roster, each host's home shop (index) and a hidden skill factor that drives results:
    tier A sells more than C, and one A host under-performs while one C host over-performs.
    """
    n_a = max(1, round(count * 0.2)) if count else 0
    n_b = round(count * 0.4)
    tiers = np.array(["A"] * n_a + ["B"] * n_b + ["C"] * (count - n_a - n_b))[:count]
    rng.shuffle(tiers)
    home = np.zeros(count, dtype=np.int64)
    for tier in ("A", "B", "C"):
        members = np.flatnonzero(tiers == tier)
        home[members] = (np.arange(len(members)) + rng.integers(len(channels))) % len(channels)
    spanish_home = np.array([channels[c].spanish for c in home], dtype=bool)
    speaks_es = (tiers != "A") & (rng.random(count) < np.where(spanish_home, 0.6, 0.08))
    names = _names(rng, speaks_es)
    hosts = pd.DataFrame({
        "host_id": [f"H{i + 1:03d}" for i in range(count)],
        "name": names,
        "tier": tiers,
        "categories": [_host_categories(rng, channels, home[i], tiers[i]) for i in range(count)],
        "languages": np.where(speaks_es, "en|es", "en"),
        "hourly_rate": np.round(np.select([tiers == "A", tiers == "B"], [rng.uniform(45, 70, count),
                                          rng.uniform(28, 40, count)], rng.uniform(18, 25, count)) * 2) / 2,
        "commission_rate": rng.choice([0.0, 0.01, 0.02, 0.03, 0.04, 0.05], count),
        "max_hours_per_week": np.where(tiers == "A", rng.integers(20, 31, count), rng.integers(12, 31, count)),
        "max_streams_per_day": np.where(rng.random(count) < 0.85, 2, 1),
        "role": "host",
    })
    hosts.insert(8, "min_hours_per_week", np.minimum(rng.integers(0, 13, count), hosts["max_hours_per_week"]))
    skill = np.select([tiers == "A", tiers == "B"], [1.2, 1.0], 0.85) * rng.lognormal(0.0, 0.12, count)
    for tier, factor in (("A", 0.7), ("C", 1.35)):
        members = np.flatnonzero(tiers == tier)
        if len(members):
            skill[rng.choice(members)] = factor
    assistants = _assistants(rng, channels, max(1, round(count / 8)))
    return pd.concat([hosts, assistants], ignore_index=True), home, skill


def hidden_skill(seed: int = 7, channels: int = 3, hosts: int = 25) -> pd.DataFrame:
    """host_id, tier and the hidden skill of each host `generate_studio` makes with these arguments (drawn from
    the same random streams), for benchmarks that score what was learnt against the truth. A host's true GMV
    in a slot is the slot's expected_gmv (its value with a skill-1 host) times skill ** GMV_POWER."""
    streams = _streams(seed)
    shops = make_channels(streams[0], channels)
    make_products(streams[1], shops)
    roster, _, skill = make_hosts(streams[2], shops, hosts)
    on_air = roster[roster["role"] == "host"].reset_index(drop=True)
    return pd.DataFrame({"host_id": on_air["host_id"], "tier": on_air["tier"], "skill": skill[:len(on_air)]})


def _streams(seed: int) -> list[np.random.Generator]:
    """The independent random streams every part of a studio draws from, spawned from one seed."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(13)]


def _names(rng: np.random.Generator, spanish: np.ndarray) -> np.ndarray:
    """Realistic full names, unique while the name pools last; Spanish speakers mostly get Spanish names."""
    names = np.empty(len(spanish), dtype=object)
    for flag, first, last in ((False, FIRST_NAMES, LAST_NAMES), (True, SPANISH_FIRST, SPANISH_LAST)):
        members = np.flatnonzero(spanish == flag)
        pool = len(first) * len(last)
        picks = rng.choice(pool, size=len(members), replace=len(members) > pool)
        names[members] = [f"{first[p // len(last)]} {last[p % len(last)]}" for p in picks]
    return names.astype(str)


def _host_categories(rng: np.random.Generator, channels: list[Channel], home: int, tier: str) -> str:
    """Hosts sell their home shop's categories (tier A all of them, others mostly all), and often one of the
    next shop's, so most slots have a few candidates and some have none."""
    cats = list(channels[home].categories)
    if tier != "A" and rng.random() < 0.3:
        cats = list(rng.choice(cats, size=rng.integers(1, len(cats) + 1), replace=False))
    neighbour = [c for c in channels[(home + 1) % len(channels)].categories if c not in cats]
    if neighbour and len(cats) < 3 and (tier == "A" or rng.random() < 0.4):
        cats.append(neighbour[0])
    return "|".join(cats)


def _assistants(rng: np.random.Generator, channels: list[Channel], count: int) -> pd.DataFrame:
    """Production assistants: tier C, every category the studio sells, staffed on hero slots."""
    every = "|".join(sorted({c for ch in channels for c in ch.categories}))
    return pd.DataFrame({
        "host_id": [f"P{i + 1:02d}" for i in range(count)],
        "name": _names(rng, np.zeros(count, dtype=bool)),
        "tier": "C",
        "categories": every,
        "languages": "en|es",
        "hourly_rate": np.round(rng.uniform(17, 21, count) * 2) / 2,
        "commission_rate": 0.0,
        "max_hours_per_week": rng.integers(24, 41, count),
        "min_hours_per_week": rng.integers(0, 13, count),
        "max_streams_per_day": 2,
        "role": "assistant",
    })


def make_availability(rng: np.random.Generator, hosts: pd.DataFrame, first_day: np.datetime64,
                      days: int) -> pd.DataFrame:
    """Shifts in the planned week(s): one to three days off, a favourite shift, some split days.

    Two hosts give no availability at all (a case the scheduler must explain). Tier A hosts never
    start before 09:00, which leaves the early hero slot without a tier A host.
    """
    is_host = (hosts["role"] == "host").to_numpy()
    candidates = np.flatnonzero(is_host & (hosts["tier"] != "A").to_numpy())
    absent = set(rng.choice(candidates, size=min(len(candidates), 2 if is_host.sum() >= 10 else 1),
                            replace=False).tolist()) if len(candidates) and is_host.sum() >= 4 else set()
    hosts_rows, starts, ends = [], [], []
    for row, (tier, role) in enumerate(zip(hosts["tier"], hosts["role"])):
        if row in absent:
            continue
        allowed = SHIFTS_BY_TIER["assistant" if role == "assistant" else tier]
        favourite = allowed[rng.integers(len(allowed))]
        off_days = 1 if tier == "A" or role == "assistant" else rng.integers(1, 4)
        for week_start in range(0, days, 7):
            week_days = min(7, days - week_start)
            off = set(rng.choice(week_days, size=min(off_days, week_days), replace=False).tolist())
            for day in range(week_days):
                if day in off:
                    continue
                if tier != "A" and role == "host" and rng.random() < 0.1:
                    windows = SPLIT_SHIFT
                else:
                    shift = favourite if rng.random() < 0.75 else allowed[rng.integers(len(allowed))]
                    windows = (SHIFTS[shift],)
                midnight = first_day + np.timedelta64(week_start + day, "D")
                for start, end in windows:
                    hosts_rows.append(row)
                    starts.append(midnight + np.timedelta64(start, "m"))
                    ends.append(midnight + np.timedelta64(end, "m"))
    return pd.DataFrame({
        "host_id": hosts["host_id"].to_numpy()[np.array(hosts_rows, dtype=np.int64)],
        "start": np.array(starts, dtype="datetime64[ns]"),
        "end": np.array(ends, dtype="datetime64[ns]"),
    })


# ---------------------------------------------------------------------------------------------------
# Calendar


def make_calendar(rng: np.random.Generator, channels: list[Channel], first_day: np.datetime64, days: int,
                  slots_per_day: int, planned: bool, plan_year: int) -> pd.DataFrame:
    """Every shop's slots over `days` days from `first_day`, ordered by start then shop.

    Internal columns, dropped before writing: the id a session of the slot gets, the slot's `position`
    in the daily pattern and the shop's `channel_index`.

    The planned calendar adds two hero slots no tier A host can take: a Saturday 08:00 flash sale on
    the first shop and a Sunday 17:00 Spanish hero stream on the first Spanish-audience shop.
    """
    n_channels = len(channels)
    include = np.zeros((days, MAX_SLOTS_PER_DAY, n_channels), dtype=bool)
    include[:, list(PRIORITY[:slots_per_day]), :] = True
    tier = np.broadcast_to(SLOT_TIER[None, :, None], include.shape).copy()
    spanish = np.zeros_like(include)
    es_channels = [c for c, ch in enumerate(channels) if ch.spanish]
    spanish[:, SPANISH_SLOTS, :] = np.array([ch.spanish for ch in channels])[None, None, :]
    day_dates = first_day + np.arange(days).astype("timedelta64[D]")
    weekday = (day_dates.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    if planned:
        saturdays = np.flatnonzero(weekday == 5)
        include[saturdays, EARLY, 0] = True
        tier[saturdays, EARLY, 0] = 0
        if es_channels:
            sundays = np.flatnonzero(weekday == 6)
            include[sundays, EVENING, es_channels[0]] = True
            tier[sundays, EVENING, es_channels[0]] = 0
    d, k, c = np.nonzero(include)
    n_cats = np.array([len(ch.categories) for ch in channels])
    cat_table = np.array([list(ch.categories) + [""] * (3 - len(ch.categories)) for ch in channels], dtype=object)
    category = cat_table[c, rng.integers(0, 1 << 30, len(c)) % n_cats[c]]
    main_line = (tier[d, k, c] == 0) & (rng.random(len(c)) < 0.85)  # hero slots mostly sell the shop's main line
    category[main_line] = cat_table[c[main_line], 0]
    start = day_dates[d].astype("datetime64[m]") + SLOT_START[k].astype("timedelta64[m]")
    end = start + SLOT_MINUTES[k].astype("timedelta64[m]")
    product_tier = np.array(PRODUCT_TIERS)[tier[d, k, c]]
    popularity = np.array([ch.popularity for ch in channels])
    expected = _expected_gmv(rng, product_tier, k, weekday[d], popularity[c])
    codes = np.array([ch.code for ch in channels], dtype=object)
    week_label, weekday_name, day_text = _day_labels(day_dates, plan_year)
    calendar = pd.DataFrame({
        "slot_id": (week_label[d] + "-" + codes[c] + "-" + weekday_name[d] + "-" + HHMM[k]).astype(str),
        "channel": np.array([ch.name for ch in channels], dtype=object)[c].astype(str),
        "start": start.astype("datetime64[ns]"),
        "end": end.astype("datetime64[ns]"),
        "product_tier": product_tier,
        "category": category.astype(str),
        "language": np.where(spanish[d, k, c], "es", "en"),
        "expected_gmv": expected,
        "locked_host_id": "",
        "assistants_needed": ((product_tier == "hero") & (rng.random(len(c)) < 0.8)).astype(np.int64),
        "room": np.array([ROOMS_NAME.format(number=i + 1) for i in range(n_channels)], dtype=object)[c].astype(str),
    })
    calendar["session_id"] = ("S-" + day_text[d] + "-" + codes[c] + "-" + HHMM[k]).astype(str)
    calendar["position"] = k  # internal: the slot's place in the daily pattern
    calendar["channel_index"] = c  # internal: the shop's index
    return calendar


def _expected_gmv(rng: np.random.Generator, product_tier: np.ndarray, position: np.ndarray, weekday: np.ndarray,
                  popularity: np.ndarray) -> np.ndarray:
    """A slot's GMV with an average host: tier, time of day, weekday and shop, rounded to $10."""
    low, high, base = (np.select([product_tier == t for t in PRODUCT_TIERS], [TIER_GMV[t][i] for t in PRODUCT_TIERS])
                       for i in range(3))
    value = base * DAYPART[position] * WEEKDAY_LIFT[weekday] * popularity * rng.uniform(0.9, 1.1, len(position))
    return (np.round(np.clip(value, low, high) / 10) * 10).astype(np.int64)


def _day_labels(day_dates: np.ndarray, plan_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per day: its ISO week as slot ids write it (`W49`, or `2025W49` in an earlier ISO year so ids stay
    unique), its weekday name and its date as session ids write it (`20261005`)."""
    days = [date.fromisoformat(str(day)) for day in day_dates.astype("datetime64[D]")]
    weeks = [f"W{d.isocalendar().week:02d}" if d.isocalendar().year == plan_year
             else f"{d.isocalendar().year}W{d.isocalendar().week:02d}" for d in days]
    return (np.array(weeks, dtype=object), np.array([WEEKDAYS[d.weekday()] for d in days], dtype=object),
            np.array([d.strftime("%Y%m%d") for d in days], dtype=object))


def lock_some_slots(rng: np.random.Generator, slots: pd.DataFrame, hosts: pd.DataFrame,
                    availability: pd.DataFrame) -> pd.DataFrame:
    """Lock 2-4 slots to hosts who may take them (available, tier, category, language), one lock per host."""
    out = slots.copy()
    wanted = int(rng.integers(2, 5))
    by_host = {host: frame for host, frame in availability.groupby("host_id")}
    locked_hosts: set[str] = set()
    for row in rng.permutation(len(out)):
        if wanted == 0:
            break
        slot = out.iloc[row]
        for _, host in hosts.iloc[rng.permutation(len(hosts))].iterrows():
            if host["host_id"] not in locked_hosts and _may_take(host, slot, by_host.get(host["host_id"])):
                out.at[out.index[row], "locked_host_id"] = host["host_id"]
                locked_hosts.add(host["host_id"])
                wanted -= 1
                break
    return out


def _may_take(host: pd.Series, slot: pd.Series, windows: pd.DataFrame | None) -> bool:
    """Hard rules 1-3 of the contract for one host and one slot."""
    allowed = {"hero": ("A",), "core": ("A", "B"), "longtail": ("A", "B", "C")}[slot["product_tier"]]
    return (host["role"] == "host" and windows is not None and host["tier"] in allowed
            and slot["category"] in host["categories"].split("|") and slot["language"] in host["languages"].split("|")
            and bool(((windows["start"] <= slot["start"]) & (windows["end"] >= slot["end"])).any()))


# ---------------------------------------------------------------------------------------------------
# Results: sessions, SKU sales, viewer minutes


def staff_history(rng: np.random.Generator, history: pd.DataFrame, hosts: pd.DataFrame, home: np.ndarray,
                  skill: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who streamed each past slot: a host of the shop's own pool who may sell it, tier preferred by slot tier.

    Pools are per shop, so a host never streams two shops at once. A few streams went to a guest or were
    not attributed to anyone. Returns the host ids on air, their skill factors, and the hosts the
    published plan had (before guests stood in; "" where no host of the roster may take the slot).
    """
    roster = hosts[hosts["role"] == "host"]
    host_index = pick_hosts(rng, history, roster, home, skill[:len(roster)])
    planned = _ids(roster, host_index)
    ids = planned.copy()
    factor = np.where(host_index >= 0, skill[np.maximum(host_index, 0)], 1.0)
    guests = rng.random(len(history)) < 0.012
    ids = np.where(guests, np.array(GUESTS)[rng.integers(len(GUESTS), size=len(history))], ids)
    factor = np.where(guests, GUEST_SKILL, factor)
    unattributed = rng.choice(len(history), size=min(2, len(history)), replace=False)
    ids[unattributed] = ""
    factor[unattributed] = 1.0
    return ids.astype(str), factor, planned.astype(str)


def pick_hosts(rng: np.random.Generator, slots: pd.DataFrame, roster: pd.DataFrame, home: np.ndarray,
               skill: np.ndarray | None = None) -> np.ndarray:
    """For each slot, the roster row of a host of the shop's own pool (else of the studio) who may sell its
    category in its language, drawn with weights that prefer the slot's tier; -1 where nobody fits.

    With `skill`, slots are staged as associates stage them: within a tier, the stronger hosts get more of the
    prime slots (those worth more than their tier's typical slot) and the weaker ones more of the rest, so raw
    GMV per hour credits a strong host twice."""
    n = len(roster)
    tiers = roster["tier"].to_numpy()
    sells = _membership(roster["categories"])
    speaks = _membership(roster["languages"])
    preference = {"hero": {"A": 1.0, "B": 0.0, "C": 0.0}, "core": {"A": 0.3, "B": 1.0, "C": 0.0},
                  "longtail": {"A": 0.05, "B": 0.4, "C": 1.0}}
    host_index = np.full(len(slots), -1, dtype=np.int64)
    if skill is not None:
        prime, strength = _primeness(slots), _strength(tiers, skill)
    keys = slots[["channel_index", "category", "product_tier", "language"]]
    for (channel, category, tier, language), rows in keys.groupby(list(keys.columns)).indices.items():
        fits = sells.get(category, np.zeros(n, dtype=bool)) & speaks.get(language, np.zeros(n, dtype=bool))
        weight = np.array([preference[tier][t] for t in tiers]) * fits
        for pool in (home[:n] == channel, np.ones(n, dtype=bool)):
            if (weight * pool).sum() > 0:
                chosen = weight * pool
                if skill is None:
                    host_index[rows] = rng.choice(n, size=len(rows), p=chosen / chosen.sum())
                else:
                    host_index[rows] = _staged(rng, chosen, prime[rows], strength)
                break
    return host_index


def _staged(rng: np.random.Generator, weight: np.ndarray, prime: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """One draw per slot among the hosts with weight, each slot's weights tilted toward strength by how prime it
    is (a Gumbel-max draw: the argmax of log weight plus Gumbel noise is a draw with those weights)."""
    candidates = np.flatnonzero(weight > 0)
    logits = np.log(weight[candidates])[None, :] + STAGING * prime[:, None] * strength[candidates][None, :]
    noise = -np.log(-np.log(rng.random((len(prime), len(candidates)))))
    return candidates[np.argmax(logits + noise, axis=1)]


def _primeness(slots: pd.DataFrame) -> np.ndarray:
    """How prime each slot is within its product tier: log of its expected GMV over the tier's median, in [-1, 1]."""
    value = np.log(slots["expected_gmv"].to_numpy(dtype=float))
    median = slots.groupby("product_tier")["expected_gmv"].transform("median").to_numpy(dtype=float)
    return np.clip((value - np.log(median)) / PRIME_SPREAD, -1.0, 1.0)


def _strength(tiers: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """Each host's log skill over their tier's mean: how much stronger than their tier they are."""
    frame = pd.DataFrame({"tier": tiers, "log": np.log(skill)})
    return (frame["log"] - frame.groupby("tier")["log"].transform("mean")).to_numpy()


def _ids(roster: pd.DataFrame, host_index: np.ndarray) -> np.ndarray:
    """Host ids of roster rows, "" for -1."""
    return np.where(host_index >= 0, roster["host_id"].to_numpy()[np.maximum(host_index, 0)], "").astype(object)


def _membership(lists: pd.Series) -> dict[str, np.ndarray]:
    """For each value of a `|` list column, which rows hold it."""
    split = lists.str.split("|")
    return {value: split.map(lambda items, v=value: v in items).to_numpy(dtype=bool)
            for value in sorted({v for items in split for v in items})}


def make_sessions(rng: np.random.Generator, history: pd.DataFrame, host_ids: np.ndarray, skill: np.ndarray,
                  block_price: np.ndarray) -> pd.DataFrame:
    """One session per past slot that went live, with the platform's counters.

    Viewers follow the slot's expected GMV (tier, time, weekday, shop), the host's skill, a gentle
    weekly trend and noise; orders follow a conversion rate that the host's skill drives. Two
    anomalies: a Black Friday spike and a collapsed stream in the last week. `orders` and `gmv` are
    provisional here and settled from the SKU rows by `make_sku_sales`.
    """
    n = len(history)
    position = history["position"].to_numpy()
    late = np.where(rng.random(n) < 0.3, rng.integers(1, 11, n), 0)
    early = np.where(rng.random(n) < 0.15, rng.integers(1, 16, n), 0)
    start = history["start"].to_numpy() + late.astype("timedelta64[m]")
    end = history["end"].to_numpy() - early.astype("timedelta64[m]")
    minutes = SLOT_MINUTES[position] - late - early
    first = history["start"].min().normalize()
    week = ((history["start"] - first).dt.days // 7).to_numpy()
    trend = WEEKLY_TREND ** week
    conversion = np.clip(0.021 * skill ** CONVERSION_POWER * rng.lognormal(0, 0.12, n), 0.008, 0.06)
    viewers = (history["expected_gmv"].to_numpy() * skill ** VIEWERS_POWER * trend * rng.lognormal(0, 0.18, n)
               * minutes / SLOT_MINUTES[position] / (block_price * 1.15 * 0.021))
    viewers = np.clip(viewers, 300, 40000)
    spike, collapse = _anomalies(rng, history)
    viewers[spike] *= 3.5
    conversion[spike] *= 1.4
    viewers[collapse] *= 0.12
    viewers = np.round(viewers).astype(np.int64)
    impressions = np.round(viewers * rng.uniform(2, 6, n)).astype(np.int64)
    clicks = np.round(impressions * np.clip(rng.uniform(0.03, 0.08, n) * skill ** 0.3, 0.02, 0.1)).astype(np.int64)
    watch = np.clip(75 * skill ** 0.5 * rng.lognormal(0, 0.25, n) * DAYPART[position], 40, 180)
    watch[collapse] = 35.0
    peak = np.maximum(1, np.round(viewers * watch / (minutes * 60) * rng.uniform(1.5, 2.2, n))).astype(np.int64)
    sessions = pd.DataFrame({
        "session_id": history["session_id"].to_numpy(),
        "channel": history["channel"].to_numpy(),
        "host_id": host_ids,
        "slot_id": history["slot_id"].to_numpy(),
        "start": start.astype("datetime64[ns]"),
        "end": end.astype("datetime64[ns]"),
        "viewers": viewers,
        "views": np.round(viewers * rng.uniform(1.2, 1.8, n)).astype(np.int64),
        "avg_watch_seconds": np.round(watch, 1),
        "peak_concurrent": peak,
        "product_impressions": impressions,
        "product_clicks": clicks,
        "orders": np.minimum(np.round(viewers * conversion), clicks).astype(np.int64),
        "gmv": 0.0,
        "new_followers": np.round(viewers * rng.uniform(0.005, 0.03, n)).astype(np.int64),
        "likes": np.round(viewers * rng.uniform(1, 6, n)).astype(np.int64),
        "comments": np.round(viewers * rng.uniform(0.02, 0.08, n)).astype(np.int64),
        "shares": np.round(viewers * rng.uniform(0.005, 0.02, n)).astype(np.int64),
        "category": history["category"].to_numpy(),
        "product_tier": history["product_tier"].to_numpy(),
    })
    return sessions


def _anomalies(rng: np.random.Generator, history: pd.DataFrame) -> tuple[int, int]:
    """A hero stream that spikes on the last week's Friday (Black Friday) and a stream that collapses on Sunday."""
    last_week = history["start"] >= history["start"].max().normalize() - pd.Timedelta(days=6)
    weekday = history["start"].dt.day_of_week
    hero = history["product_tier"] == "hero"
    spike_rows = np.flatnonzero(last_week & hero & (weekday == 4))
    collapse_rows = np.flatnonzero(last_week & ~hero & (weekday == 6))
    spike_rows = spike_rows if len(spike_rows) else np.arange(len(history))
    collapse_rows = collapse_rows if len(collapse_rows) else np.arange(len(history))
    spike = int(rng.choice(spike_rows))
    collapse = int(rng.choice(collapse_rows[collapse_rows != spike])) if len(history) > 1 else spike
    return spike, collapse


def make_sku_sales(rng: np.random.Generator, sessions: pd.DataFrame, block: np.ndarray,
                   products: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """5-10 distinct SKUs of the session's shop and category; units split by tier and luck; GMV in cents.

    SKU rows are taken along a stride through the session's 17-SKU block (17 is prime, so they are
    distinct). Orders never exceed the units sold, and the session's GMV is the sum of its rows.
    Returns the SKU rows and the sessions with `orders` and `gmv` settled.
    """
    n = len(sessions)
    per_session = rng.integers(5, 11, n)
    owner = np.repeat(np.arange(n), per_session)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(per_session) - per_session, per_session)
    offset = rng.integers(0, SKUS_PER_BLOCK, n)
    stride = rng.integers(1, SKUS_PER_BLOCK, n)
    sku = block[owner] * SKUS_PER_BLOCK + (offset[owner] + rank * stride[owner]) % SKUS_PER_BLOCK
    sku_tier = products["product_tier"].to_numpy()[sku]
    tier_weight = np.select([sku_tier == "hero", sku_tier == "core"], [3.0, 1.5], 1.0)
    matches = sku_tier == sessions["product_tier"].to_numpy()[owner]
    weight = tier_weight * np.where(matches, 2.5, 1.0) * rng.gamma(2.0, 0.5, len(owner))
    share = weight / np.bincount(owner, weights=weight, minlength=n)[owner]
    orders = sessions["orders"].to_numpy()
    units = rng.poisson(share * orders[owner] * 1.2)
    keep = units > 0
    owner, sku, units = owner[keep], sku[keep], units[keep]
    price_cents = np.round(products["price"].to_numpy()[sku] * 100)
    discount = np.where(rng.random(len(sku)) < 0.4, rng.uniform(0.05, 0.2, len(sku)), 0.0)
    cents = np.round(units * price_cents * (1 - discount)).astype(np.int64)
    refunded = np.where(rng.random(len(sku)) < 0.08, np.minimum(units, rng.integers(1, 4, len(sku))), 0)
    sku_sales = pd.DataFrame({
        "session_id": pd.Categorical.from_codes(owner, categories=sessions["session_id"].to_numpy()),
        "sku": products["sku"].to_numpy()[sku],
        "product_name": products["name"].to_numpy()[sku],
        "product_tier": sku_tier[keep],
        "units_sold": units.astype(np.int64),
        "units_refunded": refunded.astype(np.int64),
        "gmv": cents / 100,
    })
    settled = sessions.copy()
    settled["orders"] = np.minimum(orders, np.bincount(owner, weights=units, minlength=n).astype(np.int64))
    settled["gmv"] = np.bincount(owner, weights=cents, minlength=n).round().astype(np.int64) / 100
    return sku_sales, settled


def make_viewer_minutes(rng: np.random.Generator, sessions: pd.DataFrame) -> pd.DataFrame:
    """Concurrent viewers each minute: a 10-15 minute ramp, a noisy plateau, a drop-off, hero product drops.

    Built for tens of millions of rows in one numpy pass (float32, in place); each session's curve is
    scaled so that its highest minute is the session's peak_concurrent.
    """
    n = len(sessions)
    minutes = ((sessions["end"] - sessions["start"]).dt.total_seconds() // 60).to_numpy().astype(np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int32), minutes)
    first_row = np.cumsum(minutes) - minutes
    minute = np.arange(len(owner), dtype=np.int64)
    minute -= np.repeat(first_row, minutes)
    at = minute.astype(np.float32)

    def per_session(values: np.ndarray) -> np.ndarray:
        return values.astype(np.float32)[owner]

    shape = np.minimum(1.0, (at + 1) / per_session(rng.uniform(10, 15, n))) ** np.float32(0.7)
    fade_from = rng.uniform(0.7, 0.9, n) * minutes
    fading = per_session(0.45 / np.maximum(minutes - fade_from, 1)) * (at - per_session(fade_from))
    shape *= 1 - np.maximum(fading, 0)
    shape *= 1 + np.float32(0.08) * np.sin(at / 9 + per_session(rng.uniform(0, 2 * np.pi, n)))
    shape *= 1 + np.float32(0.04) * rng.standard_normal(len(owner), dtype=np.float32)
    hero = (sessions["product_tier"] == "hero").to_numpy()
    for _ in range(2):  # a product drop pulls viewers in for a few minutes
        height = np.where(hero | (rng.random(n) < 0.15), rng.uniform(0.25, 0.6, n), 0)
        distance = (at - per_session(rng.uniform(0.2, 0.8, n) * minutes)) / 4
        shape += per_session(height) * np.exp(-(distance * distance))
    np.maximum(shape, 0, out=shape)
    top = np.maximum.reduceat(shape, first_row) if n else np.zeros(0, dtype=np.float32)
    scale = sessions["peak_concurrent"].to_numpy() / np.maximum(top, 1e-6)
    concurrent = np.rint(shape * per_session(scale)).astype(np.int64)
    return pd.DataFrame({
        "session_id": pd.Categorical.from_codes(owner, categories=sessions["session_id"].to_numpy()),
        "minute": minute,
        "concurrent_viewers": concurrent,
    })


def make_targets(sessions: pd.DataFrame, sku_sales: pd.DataFrame) -> pd.DataFrame:
    """Weekly targets set against the last results week: some hit, some just short, some missed."""
    last = sessions["start"] >= sessions["start"].max().normalize() - pd.Timedelta(days=6)
    week = sessions[last]
    actual = scorecard(week, sku_sales[sku_sales["session_id"].isin(week["session_id"])], by="week").iloc[-1]
    rows = []
    for metric, factor in TARGET_FACTORS.items():
        value = float(actual[metric]) * factor
        digits = 4 if value < 1 else 0 if value >= 100 else 2
        rows.append({"metric": metric, "target": round(value, digits)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------
# Past weeks: the plans that were published, and the invoices of the last week


def plan_history(rng: np.random.Generator, calendar: pd.DataFrame, went_live: np.ndarray, planned: np.ndarray,
                 hosts: pd.DataFrame, home: np.ndarray) -> pd.DataFrame:
    """The published plan of every past slot (slot_id, host_id, reason), consistent with the streams.

    A stream's planned host is the host who went on air, except where a guest stood in, and in about
    2.5 % of streams a late swap: the plan named another host of the pool. A slot that never went live
    still had a planned host (a no-show on the timesheet). `planned` holds the hosts of the streams.
    """
    roster = hosts[hosts["role"] == "host"]
    host_ids = np.empty(len(calendar), dtype=object)
    host_ids[went_live] = planned
    missed = np.flatnonzero(~went_live)
    host_ids[missed] = _ids(roster, pick_hosts(rng, calendar.iloc[missed], roster, home))
    live = np.flatnonzero(went_live & (host_ids != ""))
    swapped = rng.choice(live, size=min(len(live), max(1, round(0.025 * len(live)))), replace=False)
    for _ in range(5):  # redraw where the pool gave back the same host; a pool of one host cannot swap
        other = _ids(roster, pick_hosts(rng, calendar.iloc[swapped], roster, home))
        changed = (other != host_ids[swapped]) & (other != "")
        host_ids[swapped[changed]] = other[changed]
        swapped = swapped[~changed]
    staffed = host_ids != ""
    return pd.DataFrame({
        "slot_id": calendar["slot_id"].to_numpy(),
        "host_id": host_ids.astype(str),
        "reason": np.where(staffed, "", "no host of the roster may take it (tier, category or language)"),
    })


def assist_history(rng: np.random.Generator, calendar: pd.DataFrame, plan: pd.DataFrame,
                   hosts: pd.DataFrame) -> pd.DataFrame:
    """The assistants of the past plans (slot_id, assistant_id): staffed slots that need one get a free
    assistant, never two overlapping slots (30 minutes between them), within the daily stream and weekly
    hour caps; positions no assistant is free for stay open."""
    helpers = hosts[hosts["role"] == "assistant"]
    needs = calendar.loc[(calendar["assistants_needed"].to_numpy() > 0) & (plan["host_id"].to_numpy() != "")]
    needs = needs.sort_values(["start", "slot_id"])
    minutes = needs["start"].to_numpy().astype("datetime64[m]").astype(np.int64)
    ends = needs["end"].to_numpy().astype("datetime64[m]").astype(np.int64)
    days = minutes // 1440
    weeks = (days + 3) // 7  # 1970-01-01 was a Thursday: weeks counted from Mondays
    needed, needing_ids = needs["assistants_needed"].to_numpy(), needs["slot_id"].to_numpy()
    helper_ids = helpers["host_id"].to_numpy()
    streams_cap = helpers["max_streams_per_day"].to_numpy()
    hours_cap = helpers["max_hours_per_week"].to_numpy(dtype=float)
    busy_until = np.full(len(helpers), np.iinfo(np.int64).min // 2)
    streams, hours = np.zeros(len(helpers), dtype=np.int64), np.zeros(len(helpers))
    slot_ids, assistant_ids = [], []
    for row in range(len(needs)):
        if row == 0 or days[row] != days[row - 1]:
            streams[:] = 0
        if row == 0 or weeks[row] != weeks[row - 1]:
            hours[:] = 0.0
        length = (ends[row] - minutes[row]) / 60
        free = (busy_until + 30 <= minutes[row]) & (streams < streams_cap) & (hours + length <= hours_cap)
        order = rng.permutation(len(helpers))
        chosen = order[free[order]][:needed[row]]
        busy_until[chosen] = ends[row]
        streams[chosen] += 1
        hours[chosen] += length
        slot_ids += [needing_ids[row]] * len(chosen)
        assistant_ids += helper_ids[chosen].tolist()
    return pd.DataFrame({"slot_id": slot_ids, "assistant_id": assistant_ids}, dtype="str")


def make_invoices(rng: np.random.Generator, plan: pd.DataFrame, assistants: pd.DataFrame, calendar: pd.DataFrame,
                  hosts: pd.DataFrame, sessions: pd.DataFrame, sku_sales: pd.DataFrame) -> pd.DataFrame:
    """Invoices of the last past week, per person owed pay (scheduled hours + commission), set so that the
    reconciliation shows every case: most match (one rounded to the dollar), one bills an hour too many,
    one bills a slot twice, one leaves out the commission, and two people sent none."""
    last_day = calendar["start"].max().normalize()
    monday = last_day - pd.Timedelta(days=int(last_day.day_of_week))
    period = Period(monday.date(), (monday + pd.Timedelta(days=6)).date())
    week_slots = calendar.loc[period.contains(calendar["start"])]
    week_plan = StaffingPlan.from_frames(plan.loc[plan["slot_id"].isin(week_slots["slot_id"])],
                                         assistants.loc[assistants["slot_id"].isin(week_slots["slot_id"])])
    week_sessions = sessions.loc[sessions["slot_id"].isin(week_slots["slot_id"])]
    sheet = timesheet(week_plan, week_slots, hosts, week_sessions,
                      sku_sales.loc[sku_sales["session_id"].isin(week_sessions["session_id"])], period,
                      now=monday + pd.Timedelta(days=7))  # invoiced once the week is over
    owed = pay(sheet, hosts, period)
    owed = owed.loc[owed["total"] > 0].iloc[rng.permutation(int((owed["total"] > 0).sum()))].reset_index(drop=True)
    longest = sheet.groupby("person_id")["scheduled_h"].max()
    amount = owed["total"].to_numpy(dtype=float).copy()
    cases = ["missing", "missing", "hour", "slot", "commission", "rounded"]
    for row, case in enumerate(cases[:len(owed)]):
        rate = owed.at[row, "hourly_rate"]
        if case == "hour":
            amount[row] += rate
        elif case == "slot":
            amount[row] += rate * longest[owed.at[row, "person_id"]]
        elif case == "commission":
            amount[row] -= owed.at[row, "commission"] if owed.at[row, "commission"] > 1 else rate
        elif case == "rounded":
            amount[row] = np.round(amount[row])
    keep = np.array([case != "missing" for case in cases[:len(owed)]] + [True] * max(len(owed) - len(cases), 0))
    label = f"{monday.isocalendar()[0]}W{monday.isocalendar()[1]:02d}"
    invoices = pd.DataFrame({
        "invoice_id": "INV-" + label + "-" + owed["person_id"],
        "person_id": owed["person_id"],
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "amount": np.round(amount, 2),
    }).loc[keep]
    return invoices.sort_values("person_id", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------
# The studio


def generate_studio(seed: int = 7, channels: int = 3, hosts: int = 25, weeks: int = 8, plan_weeks: int = 1,
                    plan_week: str = "2026-W49", slots_per_day: int = 6,
                    viewer_minutes: bool = True) -> dict[str, pd.DataFrame]:
    """Every file of a sample studio, keyed by file name; the same arguments always give the same frames.

    Results cover the `weeks` weeks before `plan_week`; slots and availability cover `plan_weeks`
    weeks from it; "history/..." frames hold the past weeks' slots, published plans and the last past
    week's invoices. `viewer_minutes=False` leaves out the (large) viewer_minutes.csv.
    """
    _check_arguments(channels, hosts, weeks, plan_weeks, slots_per_day)
    monday = week_monday(plan_week)
    year = monday.isocalendar()[0]
    plan_start = np.datetime64(monday, "D")
    history_start = plan_start - np.timedelta64(7 * weeks, "D")
    streams = _streams(seed)
    shops = make_channels(streams[0], channels)
    products = make_products(streams[1], shops)
    roster, home, skill = make_hosts(streams[2], shops, hosts)
    availability = make_availability(streams[3], roster, plan_start, 7 * plan_weeks)
    slots = make_calendar(streams[4], shops, plan_start, 7 * plan_weeks, slots_per_day, True, year)
    slots = lock_some_slots(streams[4], slots, roster, availability)
    template, exceptions = roster_template(streams[12], availability, slots, plan_start)
    calendar = make_calendar(streams[5], shops, history_start, 7 * weeks, slots_per_day, False, year)
    went_live = streams[5].random(len(calendar)) >= 0.015
    history = calendar[went_live].reset_index(drop=True)
    host_ids, host_skill, planned = staff_history(streams[6], history, roster, home, skill)
    block = _block_of(shops, history["channel_index"].to_numpy(), history["category"].to_numpy())
    block_price = products["price"].to_numpy().reshape(-1, SKUS_PER_BLOCK).mean(axis=1)
    sessions = make_sessions(streams[7], history, host_ids, host_skill, block_price[block])
    sku_sales, sessions = make_sku_sales(streams[8], sessions, block, products)
    frames = {
        "hosts.csv": roster,
        "availability.csv": availability,
        "availability_template.csv": template,
        "availability_exceptions.csv": exceptions,
        "slots.csv": slots.drop(columns=INTERNAL),
        "sessions.csv": sessions,
        "sku_sales.csv": sku_sales,
        "targets.csv": make_targets(sessions, sku_sales),
        "products.csv": products.drop(columns="channel"),
    }
    if viewer_minutes:
        frames["viewer_minutes.csv"] = make_viewer_minutes(streams[9], sessions)
    plan = plan_history(streams[10], calendar, went_live, planned, roster, home)
    assistants = assist_history(streams[10], calendar, plan, roster)
    frames["history/slots.csv"] = calendar.drop(columns=INTERNAL)
    frames["history/assignments.csv"] = plan
    frames["history/assistants.csv"] = assistants
    frames["history/invoices.csv"] = make_invoices(streams[11], plan, assistants, calendar, roster, sessions, sku_sales)
    return {name: frames[name] for name in FILES if name in frames}


def _block_of(channels: list[Channel], channel_index: np.ndarray, category: np.ndarray) -> np.ndarray:
    """Index of each row's (shop, category) block of 17 SKUs in the catalogue (the catalogue's order)."""
    lookup = {}
    for c, channel in enumerate(channels):
        for category_name in channel.categories:
            lookup[(c, category_name)] = len(lookup)
    keys = pd.Series(list(zip(channel_index.tolist(), category.tolist())), dtype=object)
    return keys.map(lookup).to_numpy().astype(np.int64)


def _check_arguments(channels: int, hosts: int, weeks: int, plan_weeks: int, slots_per_day: int) -> None:
    if channels < 1 or hosts < 1 or weeks < 1 or plan_weeks < 1:
        raise ValueError("channels, hosts, weeks and plan weeks must each be at least 1")
    if not 1 <= slots_per_day <= MAX_SLOTS_PER_DAY:
        raise ValueError(f"slots per day must be 1 to {MAX_SLOTS_PER_DAY}: one room cannot fit more with changeovers")


def write_studio(frames: dict[str, pd.DataFrame], out_dir: Path | str, fmt: str = "csv") -> dict[Path, int]:
    """Write each frame as `<name>.csv` (ISO times, safe CSV) or `<name>.parquet`; returns path -> rows."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not '{fmt}'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in frames.items():
        path = out_dir / (name if fmt == "csv" else Path(name).with_suffix(".parquet"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            write_csv(_iso_times(frame), path)
        else:
            with atomic_path(path) as temp:
                frame.to_parquet(temp, index=False)
        written[path] = len(frame)
    return written


def _iso_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetimes as the contract writes them: 2026-11-23T19:00:00."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.strftime(ISO_SECONDS)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_data.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--hosts", type=int, default=25)
    parser.add_argument("--weeks", type=int, default=8, help="weeks of results before the planned week")
    parser.add_argument("--plan-weeks", type=int, default=1)
    parser.add_argument("--plan-week", default="2026-W49", help="first planned ISO week, e.g. 2026-W49")
    parser.add_argument("--slots-per-day", type=int, default=6)
    parser.add_argument("--no-viewer-minutes", action="store_true", help="leave out viewer_minutes.csv")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        frames = generate_studio(args.seed, args.channels, args.hosts, args.weeks, args.plan_weeks, args.plan_week,
                                 args.slots_per_day, not args.no_viewer_minutes)
        written = write_studio(frames, args.out, args.format)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path, rows in written.items():
        print(f"{path}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
