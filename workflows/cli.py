"""Studio workflows from a terminal: timesheets, pay, invoices, run-of-show, claim checks, clips.

`python -m workflows COMMAND ...`; see `--help` of each command.

Bad input prints a message naming file, row and column, exits 2 and writes nothing.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import contract
from contract import DataError, Problem
from contract.cli import run_command
from contract.files import atomic_path, write_csv, write_excel
from contract.plan import read_plan
from contract.when import CONTRACT_TIME_ZONE, date_option, studio_now
from metrics import load_results
from workflows import io
from workflows.claims import scan_products
from workflows.clips import clip_list
from workflows.invoices import approval_sheet, decide, decisions_frame, reconcile
from workflows.payroll import PAY_BASES, UPCOMING, PayrollSettings, Period, needs_a_look, pay, timesheet
from workflows.run_of_show import render_html, run_of_show, show_findings


def _write_table(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """An .xlsx workbook of one sheet, else CSV."""
    if path.suffix.lower() == ".xlsx":
        write_excel({sheet: frame}, path)
    else:
        write_csv(frame, path)


def _plan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True,
                        help="studio folder (hosts.csv, slots.csv, sessions.csv...)")
    parser.add_argument("--plan", type=Path, required=True, help="published assignments.csv")
    parser.add_argument("--assistants", type=Path, help="published assistants file (slot_id, assistant_id)")


def _period_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=date_option, required=True, help="first day of the period")
    parser.add_argument("--to", dest="end", type=date_option, required=True, help="last day of the period (included)")
    parser.add_argument("--basis", choices=PAY_BASES, default="scheduled", help="hours paid (default scheduled)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workflows", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    for name, run, help_text in (("timesheet", run_timesheet, "scheduled against actual hours per person and slot"),
                                 ("pay", run_pay, "pay per person for a period")):
        command = commands.add_parser(name, help=help_text)
        _plan_arguments(command)
        _period_arguments(command)
        command.add_argument("--out", type=Path, required=True, help=".csv or .xlsx")
        command.set_defaults(run=run)

    command = commands.add_parser("reconcile", help="invoices against computed pay")
    _plan_arguments(command)
    _period_arguments(command)
    command.add_argument("--invoices", type=Path, required=True)
    command.add_argument("--decisions", type=Path, help="decisions.csv to show beside each invoice")
    command.add_argument("--tolerance", type=float, default=1.0, help="dollars (default 1)")
    command.add_argument("--out", type=Path, required=True, help=".csv, or .xlsx for the payment approval sheet")
    command.set_defaults(run=run_reconcile)

    command = commands.add_parser("approve", help="approve or reject an invoice")
    command.add_argument("--invoice", required=True)
    command.add_argument("--status", choices=("approved", "rejected"), required=True)
    command.add_argument("--comment", default="")
    command.add_argument("--user", required=True)
    command.add_argument("--decisions", type=Path, required=True)
    command.set_defaults(run=run_approve)

    command = commands.add_parser("run-of-show", help="printable run-of-show for a day (or one person)")
    _plan_arguments(command)
    command.add_argument("--date", type=date_option, required=True)
    command.add_argument("--host", help="only this person's slots (host or assistant)")
    command.add_argument("--products", type=Path, help="products file (default DATA/products.csv)")
    command.add_argument("--restricted", type=Path, help="restricted claims (default: the project's list)")
    command.add_argument("--out", type=Path, required=True, help=".html")
    command.set_defaults(run=run_run_of_show)

    command = commands.add_parser("check-claims", help="restricted claims in talking points; exit 1 when any")
    command.add_argument("--products", type=Path, required=True)
    command.add_argument("--restricted", type=Path)
    command.add_argument("--out", type=Path, help="findings as .csv")
    command.set_defaults(run=run_check_claims)

    command = commands.add_parser("clips", help="the day's highlight clips, best first")
    command.add_argument("--data", type=Path, required=True,
                         help="needs viewer_minutes.csv; order_minutes.csv optional")
    command.add_argument("--date", type=date_option, required=True)
    command.add_argument("--out", type=Path, required=True, help=".csv or .xlsx")
    command.set_defaults(run=run_clips)
    return parser


def _timesheet(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame, Period, PayrollSettings]:
    """The period's timesheet, with the roster and settings it was built with."""
    hosts, slots = io.read_roster(args.data)
    results = load_results(args.data, viewer_minutes=False)
    period, settings = Period(args.start, args.end), PayrollSettings(pay_basis=args.basis)
    plan = read_plan(args.plan, args.assistants)
    sheet = timesheet(plan, slots, hosts, results.sessions, results.sku_sales, period, settings,
                      now=studio_now(CONTRACT_TIME_ZONE))
    return sheet, hosts, period, settings


def run_timesheet(args: argparse.Namespace) -> int:
    sheet, _, _, _ = _timesheet(args)
    _write_table(sheet, args.out, "timesheet")
    flagged = sheet.loc[needs_a_look(sheet)]
    for row in flagged.itertuples():
        print(f"{row.person_id} {row.slot_id} {row.scheduled_start:%a %d %b %H:%M}: {row.flag}")
    upcoming = int((sheet["flag"] == UPCOMING).sum())
    print(f"{len(sheet)} line(s), {len(flagged)} flagged" + (f", {upcoming} upcoming" if upcoming else "")
          + f"; wrote {args.out}")
    return 0


def run_pay(args: argparse.Namespace) -> int:
    sheet, hosts, period, settings = _timesheet(args)
    paid = pay(sheet, hosts, period, settings)
    _write_table(paid, args.out, "pay")
    print(f"{len(paid)} person(s), total ${paid['total'].sum():,.2f} ({settings.pay_basis} hours); wrote {args.out}")
    return 0


def run_reconcile(args: argparse.Namespace) -> int:
    sheet, hosts, period, settings = _timesheet(args)
    paid = pay(sheet, hosts, period, settings)
    invoices = io.read_invoices(args.invoices)
    result = reconcile(invoices, paid, hosts, args.tolerance, args.invoices.name)
    decisions = io.read_decisions(args.decisions) if args.decisions else decisions_frame([])
    if args.out.suffix.lower() == ".xlsx":
        write_excel(approval_sheet(result, paid, sheet, decisions), args.out)
    else:
        write_csv(result, args.out)
    for row in result.loc[result["status"] != "matched"].itertuples():
        print(f"{row.invoice_id or '-'} {row.person_id}: {row.note}")
    counts = result["status"].value_counts()
    print(", ".join(f"{n} {status}" for status, n in counts.items()) + f"; wrote {args.out}")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    decision = decide(args.invoice, args.status, args.comment, args.user)
    io.append_decision(args.decisions, decision)
    print(f"invoice {decision.subject_id} {decision.status} by {decision.user} at {decision.at:%Y-%m-%d %H:%M}; "
          f"recorded in {args.decisions}")
    return 0


def run_run_of_show(args: argparse.Namespace) -> int:
    hosts, slots = io.read_roster(args.data)
    results = load_results(args.data, viewer_minutes=False)
    products = io.read_products(args.products or args.data / "products.csv")
    rules = io.read_rules(args.restricted)
    shows = run_of_show(read_plan(args.plan, args.assistants), slots, hosts, products, results.sessions,
                        results.sku_sales, args.date, args.host)
    who = f" for {args.host}" if args.host else ""
    page = render_html(shows, f"Run-of-show {args.date.isoformat()}{who}", rules)
    with atomic_path(args.out) as temp:
        temp.write_text(page, encoding="utf-8")
    flagged = show_findings(shows, rules)
    print(f"{len(shows)} slot(s); {len(flagged)} flagged claim(s) highlighted; wrote {args.out}")
    return 0


def run_check_claims(args: argparse.Namespace) -> int:
    found = scan_products(io.read_products(args.products), io.read_rules(args.restricted))
    if args.out:
        write_csv(found, args.out)
    for row in found.itertuples():
        print(f"{row.sku} {row.field}[{row.item}] {row.start}-{row.end} '{row.matched}': {row.reason}. "
              f"Instead: {row.suggestion}")
    print(f"{len(found)} flagged claim(s)" + (f"; wrote {args.out}" if args.out else ""))
    return 1 if len(found) else 0


def run_clips(args: argparse.Namespace) -> int:
    results = load_results(args.data)
    if results.viewer_minutes is None:
        raise DataError([Problem("viewer_minutes.csv", None, None, f"file not found in {args.data}; clips need it")])
    hosts_path = args.data / "hosts.csv"
    hosts = contract.read_table(hosts_path, contract.HOSTS) if hosts_path.exists() else None
    orders = io.read_order_minutes(args.data, results.sessions)
    clips = clip_list(results.sessions, results.viewer_minutes, args.date, orders, hosts)
    _write_table(clips, args.out, "clips")
    for row in clips.head(10).itertuples():
        print(f"{row.rank:>3}. {row.channel} {row.host} {row.clip_start:%H:%M}-{row.clip_end:%H:%M}: {row.why}")
    print(f"{len(clips)} clip(s); wrote {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is a message on stderr and exit code 2, never a traceback."""
    return run_command(build_parser(), argv)
