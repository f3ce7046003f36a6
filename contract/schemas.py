"""The files of ../shared/data-contract.md, column by column, in one place."""
from __future__ import annotations

from contract.tables import DAY_MINUTES, Column, Table

TIERS = ("A", "B", "C")
PRODUCT_TIERS = ("hero", "core", "longtail")
ROLES = ("host", "assistant")

HOSTS = Table("hosts.csv", (
    Column("host_id", unique=True),
    Column("name"),
    Column("tier", "choice", choices=TIERS),
    Column("categories", "list"),
    Column("languages", "list", required=False, allow_empty=True, default=("en",)),
    Column("hourly_rate", "number", minimum=0),
    Column("commission_rate", "number", required=False, allow_empty=True, default=0.0, minimum=0, maximum=1),
    Column("max_hours_per_week", "number", minimum=0, above_minimum=True),
    Column("min_hours_per_week", "number", required=False, allow_empty=True, default=0.0, minimum=0),
    Column("max_streams_per_day", "integer", required=False, allow_empty=True, default=2, minimum=1),
    # Beyond the data contract: production assistants are staffed by the same solve.
    Column("role", "choice", required=False, allow_empty=True, default="host", choices=ROLES),
))

AVAILABILITY = Table("availability.csv", (
    Column("host_id"),
    Column("start", "datetime"),
    Column("end", "datetime"),
), ordered=True)

SLOTS = Table("slots.csv", (
    Column("slot_id", unique=True),
    Column("channel"),
    Column("start", "datetime"),
    Column("end", "datetime"),
    Column("product_tier", "choice", choices=PRODUCT_TIERS),
    Column("category"),
    Column("language", required=False, allow_empty=True, default="en"),
    # Empty (or a missing column) means "forecast it from the studio's results"; the scheduler fills it.
    Column("expected_gmv", "number", required=False, allow_empty=True, default=float("nan"), minimum=0),
    Column("locked_host_id", required=False, allow_empty=True, default=""),
    # Beyond the data contract: assistants per slot and the studio room it is streamed from.
    Column("assistants_needed", "integer", required=False, allow_empty=True, default=0, minimum=0),
    Column("room", required=False, allow_empty=True, default=""),
), ordered=True)

SESSIONS = Table("sessions.csv", (
    Column("session_id", unique=True),
    Column("channel"),
    Column("host_id", allow_empty=True, default=""),
    Column("slot_id", required=False, allow_empty=True, default=""),
    Column("start", "datetime"),
    Column("end", "datetime"),
    Column("viewers", "integer", minimum=0),
    Column("views", "integer", minimum=0),
    Column("avg_watch_seconds", "number", minimum=0),
    Column("peak_concurrent", "integer", required=False, allow_empty=True, minimum=0),
    Column("product_impressions", "integer", minimum=0),
    Column("product_clicks", "integer", minimum=0),
    Column("orders", "integer", minimum=0),
    Column("gmv", "number", minimum=0),
    Column("new_followers", "integer", required=False, allow_empty=True, minimum=0),
    Column("likes", "integer", required=False, allow_empty=True, minimum=0),
    Column("comments", "integer", required=False, allow_empty=True, minimum=0),
    Column("shares", "integer", required=False, allow_empty=True, minimum=0),
), ordered=True)

SKU_SALES = Table("sku_sales.csv", (
    Column("session_id"),
    Column("sku"),
    Column("product_name", required=False, allow_empty=True, default=""),
    Column("product_tier", "choice", choices=PRODUCT_TIERS),
    Column("units_sold", "integer", minimum=0),
    Column("units_refunded", "integer", required=False, allow_empty=True, default=0, minimum=0),
    Column("gmv", "number", minimum=0),
))

VIEWER_MINUTES = Table("viewer_minutes.csv", (
    Column("session_id"),
    Column("minute", "integer", minimum=0),
    Column("concurrent_viewers", "integer", minimum=0),
))

TARGETS = Table("targets.csv", (
    Column("metric", unique=True),
    Column("target", "number"),
))

# Beyond the data contract: availability as a weekly template plus exceptions. Both files are optional; a
# studio without them is planned from the dated windows in availability.csv alone.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CHANGES = ("time off", "extra")

# start and end are times of day written HH:MM; an end may be 24:00, and an end at or before the start
# means the window crosses midnight into the next day.
AVAILABILITY_TEMPLATE = Table("availability_template.csv", (
    Column("host_id"),
    Column("weekday", "choice", choices=WEEKDAYS),
    Column("start", "time"),
    Column("end", "time", maximum=DAY_MINUTES),
))

AVAILABILITY_EXCEPTIONS = Table("availability_exceptions.csv", (
    Column("host_id"),
    Column("start", "datetime"),
    Column("end", "datetime"),
    Column("change", "choice", choices=CHANGES),
    Column("note", required=False, allow_empty=True, default=""),  # why: "called out: flu", "dentist"
    Column("recorded_by", required=False, allow_empty=True, default=""),  # who wrote the change down
), ordered=True)

# Optional: a channel's recurring shows. Times are local wall-clock HH:MM; an end at or before the start crosses
# midnight, as in the availability template.
SHOW_TEMPLATES = Table("show_templates.csv", (
    Column("channel"),
    Column("weekdays", "list"),
    Column("start", "time"),
    Column("end", "time", maximum=DAY_MINUTES),
    Column("product_tier", "choice", choices=PRODUCT_TIERS),
    Column("category"),
    Column("language", required=False, allow_empty=True, default="en"),
    Column("room", required=False, allow_empty=True, default=""),
    Column("assistants_needed", "integer", required=False, allow_empty=True, default=0, minimum=0),
    Column("note", required=False, allow_empty=True, default=""),
))

# Optional, the project's own: one week's one-off shows, cancellations and moves on top of the templates. A
# cancel or move names the slot by its id; a move's empty cells keep what the show has.
CALENDAR_CHANGE_KINDS = ("add", "cancel", "move")
CALENDAR_CHANGES = Table("calendar_changes.csv", (
    Column("change", "choice", choices=CALENDAR_CHANGE_KINDS),
    Column("slot_id", required=False, allow_empty=True, default=""),
    Column("channel", required=False, allow_empty=True, default=""),
    Column("start", "datetime", required=False, allow_empty=True),
    Column("end", "datetime", required=False, allow_empty=True),
    Column("product_tier", "choice", required=False, allow_empty=True, default="", choices=PRODUCT_TIERS),
    Column("category", required=False, allow_empty=True, default=""),
    Column("language", required=False, allow_empty=True, default=""),
    Column("room", required=False, allow_empty=True, default=""),
    Column("assistants_needed", "integer", required=False, allow_empty=True, minimum=0),
    Column("note", required=False, allow_empty=True, default=""),
), ordered=True)
