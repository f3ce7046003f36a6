"""Studio workflows around a published plan: timesheets and pay, invoices, run-of-show, claim-safe
talk tracks and highlight clips.

Pure functions over DataFrames and small dataclasses; reading and writing files happens in
`workflows.io` and the command line (`python -m workflows`).
"""
from workflows.claims import (
                              FlaggedClaimsError,
                              Review,
                              approve,
                              default_rules,
                              highlight_html,
                              parse_rules,
                              request_changes,
                              scan_products,
                              scan_text,
                              submit,
)
from workflows.clips import ClipSettings, audience_spikes, clip_list, highlight_clips, order_bursts
from workflows.invoices import (
                              Decision,
                              approval_sheet,
                              decide,
                              decisions_frame,
                              parse_invoices,
                              reconcile,
                              with_decisions,
)
from workflows.payroll import PayrollSettings, Period, net_gmv, pay, timesheet
from workflows.plan import staffing
from workflows.run_of_show import (
                              RunOfShowSettings,
                              SlotShow,
                              blocks_frame,
                              plan_blocks,
                              render_html,
                              run_of_show,
                              show_findings,
)

__all__ = [
    "ClipSettings", "Decision", "FlaggedClaimsError", "PayrollSettings", "Period", "Review",
    "RunOfShowSettings", "SlotShow", "approval_sheet", "approve", "audience_spikes", "blocks_frame", "clip_list",
    "decide", "decisions_frame", "default_rules", "highlight_clips", "highlight_html", "net_gmv", "order_bursts",
    "parse_invoices", "parse_rules", "pay", "plan_blocks", "reconcile", "render_html", "request_changes",
    "run_of_show", "scan_products", "scan_text", "show_findings", "staffing", "submit", "timesheet",
    "with_decisions",
]
