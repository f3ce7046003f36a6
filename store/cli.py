"""`python -m store ...`: create, import into, undo, export and manage users of the studio's store."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import replace
from pathlib import Path

from contract.cli import positive_seconds, run_command
from contract.when import date_option, studio_now
from store.errors import VersionConflict
from store.feeds import feed_path
from store.invoices import PAID, SENT
from store.kinds import KINDS
from store.outbox import LIST_COLUMNS as OUTBOX_COLUMNS
from store.own_studio import described
from store.pay import period_pay
from store.seed import SEED_USER, open_seeded, plan_weeks
from store.settings import StudioSettings
from store.store import SETTINGS, Store, open_store
from store.users import ROLES
from store.week import publish_checked, repaired_plans
from workflows.payroll import PAY_BASES, Period

SAMPLE_STUDIO = Path(__file__).resolve().parents[1] / "sample_data" / "studio"  # what `init` seeds by default


def _user() -> str:
    return os.environ.get("STUDIO_USER") or getpass.getuser()


def _init(args) -> int:
    if args.empty:
        store = open_store(args.url)
        if len(store.import_history()):
            raise ValueError(f"the store at {_where(store)} already holds a studio's rows; for a new studio, give "
                             "another --url or STUDIO_DB_PATH")
        if store.is_empty():  # saved settings mark the store as started, so nothing seeds it later
            store.save_studio_settings(StudioSettings(studio_name=args.name), args.user)
    else:
        sample = args.seed_dir.resolve() == SAMPLE_STUDIO.resolve()
        store = open_seeded(args.url, args.seed_dir, SEED_USER if sample else args.user)
    print(f"store ready at {_where(store)}")
    return 0


def _start_own_studio(args) -> int:
    store = _opened(args)
    listed = described(store.rows_to_clear())
    if not args.yes:
        print(f"would clear: {listed}\nrun again with --yes to clear them (one step `python -m store undo` reverts)")
        return 1
    step = store.start_own_studio(args.name, args.user)
    print(f"cleared {listed} as import {step}; the studio is now '{args.name}'. "
          f"`python -m store undo {step}` puts it all back while your studio has no rows of its own")
    return 0


def _where(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=True)


def _opened(args) -> Store:
    """The store as it is: only `init` fills an empty one."""
    return open_store(args.url)


def _import(args) -> int:
    store = _opened(args)
    path = Path(args.file)
    if args.kind == SETTINGS:
        return _import_rules(store, path, args)
    if args.preview:
        report = store.preview_import(path, args.kind, path.name)
        print(report.summary())
        return 0 if report.ok else 2
    print(store.import_file(path, args.kind, path.name, args.user).summary())
    return 0


def _import_rules(store: Store, path: Path, args) -> int:
    changes = store.import_rules(path, args.user, preview=args.preview)
    for key, (before, after) in changes.items():
        print(f"{key}: {before} -> {after}")
    verb = "would change" if args.preview else "changed"
    print(f"{path.name} (scheduling rules): {len(changes)} rule(s) {verb}" if changes else
          f"{path.name} (scheduling rules): every rule is already as the file gives it")
    return 0


def _history(args) -> int:
    history = _opened(args).import_history()
    print(history.to_string(index=False) if len(history) else "no imports yet")
    return 0


def _undo(args) -> int:
    _opened(args).undo_import(args.id, args.user)
    print(f"import {args.id} undone")
    return 0


def _export(args) -> int:
    for path in _opened(args).export_all(args.out):
        print(f"wrote {path}")
    return 0


def _publish(args) -> int:
    store = _opened(args)
    plans = plan_weeks(store, args.assignments, args.assistants)
    if not plans:
        print(f"{args.assignments.name} has no slots; nothing published")
        return 0
    now = studio_now(store.studio_settings().time_zone)
    if args.repair:
        plans, moved = repaired_plans(store, plans, now, args.time_limit)
        for row in moved.itertuples():
            print(f"repaired {row.slot_id}: {row.old_host_id or '(open)'} -> {row.new_host_id or '(open)'}")
    weeks = publish_checked(store, plans, args.user, now)
    published = store.published_schedules()
    mine = published.loc[published["week"].isin(weeks)]
    print(f"published {', '.join(weeks)}: {len(mine)} slot(s), {int((mine['host_id'] != '').sum())} with a host, "
          f"{int((mine['assistant_ids'] != '').sum())} with assistants")
    return 0


def _add_user(args) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise ValueError("the two passwords differ")
    _opened(args).users.add_user(args.name, args.role, password, args.host_id)
    print(f"added {args.name} ({args.role}{f' {args.host_id}' if args.host_id else ''})")
    return 0


def _disable_user(args) -> int:
    _opened(args).users.set_disabled(args.name, not args.enable, args.user)
    print(f"{args.name} is {'enabled' if args.enable else 'disabled: signed out at their next click'}")
    return 0


def _feed_token(args) -> int:
    feeds = _opened(args).feeds
    if args.revoke:
        print(f"revoked {feeds.revoke(args.person, args.user)} calendar feed link(s) of {args.person}")
        return 0
    path = feed_path(feeds.new_token(args.person, args.user))
    print(f"calendar feed of {args.person}: put the app's address before this path (shown only now; any earlier "
          "link of theirs stops working):", file=sys.stderr)
    print(path)
    return 0


def _outbox(args) -> int:
    mail = _opened(args).outbox.messages(include_sent=args.all)
    if not len(mail):
        print("no mail in the outbox" if args.all else "no mail waiting")
        return 0
    print(mail[OUTBOX_COLUMNS].to_string(index=False))
    return 0


def _send_mail(args) -> int:
    delivery = _opened(args).outbox.send()
    print(f"sent {delivery.sent}, {delivery.waiting} still waiting")
    for error in delivery.errors:
        print(f"not sent: {error}", file=sys.stderr)
    return 1 if delivery.waiting else 0


def _mail_settings(args) -> int:
    outbox = _opened(args).outbox
    saved = outbox.settings()
    given = {name: value for name, value in (("host", args.host), ("port", args.port), ("sender", args.sender),
                                             ("user", args.smtp_user), ("starttls", args.starttls))
             if value is not None}
    if args.password_stdin:
        given["password"] = sys.stdin.readline().rstrip("\n")
    if given:
        saved = replace(saved, **given)
        outbox.save_settings(saved, args.user)
    print(f"SMTP {saved.host or '(not set)'}:{saved.port}, from {saved.sender or '(not set)'}, "
          f"user {saved.user or '(none)'}, password {'set' if saved.password else 'not set'}, "
          f"STARTTLS {'on' if saved.starttls else 'off'}")
    return 0


def _invoices(args) -> int:
    found = _opened(args).invoices.listed(args.person, args.start, args.end)
    if not len(found):
        print("no invoice")
        return 0
    days = {column: found[column].dt.strftime("%Y-%m-%d") for column in ("period_start", "period_end")}
    found = found.assign(**days)
    print(found.astype(object).where(found.notna(), "").to_string(index=False))
    return 0


def _draft_invoices(args) -> int:
    store = _opened(args)
    settings = store.studio_settings()
    period = Period(args.start, args.end)
    paid = period_pay(store, period, args.basis, studio_now(settings.time_zone))
    print(store.invoices.draft(paid, settings.currency, args.user).summary()
          + f" ({period.start} to {period.end}, {args.basis} hours)")
    return 0


def _mark_invoices(args) -> int:
    done = _opened(args).invoices.mark(args.numbers, args.status, args.user)
    print(f"{done} invoice(s) marked {args.status}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__)
    parser.add_argument("--url", help="database URL (default: STUDIO_DATABASE_URL, else the SQLite file at "
                                      "STUDIO_DB_PATH, else .store/studio.db)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create or upgrade the store; seed it with the sample studio (and publish "
                                            "its past weeks' plans from history/) if empty, or with --empty start a "
                                            "new studio with no rows")
    init.add_argument("--seed-dir", type=Path, default=SAMPLE_STUDIO, help="a studio folder to seed an empty store "
                                                                          "from (default: the sample studio)")
    init.add_argument("--empty", action="store_true", help="a new studio: no sample rows, never seeded later")
    init.add_argument("--name", default="My studio", help="with --empty: the studio's name (default 'My studio')")
    init.add_argument("--user", default=_user(), help="who the imports and settings are recorded under "
                                                      "(default: the OS user; the sample's own are 'sample studio')")
    init.set_defaults(run=_init)

    own = commands.add_parser("start-own-studio", help="clear every row of the store (the sample's: its tables, "
                                                       "published weeks, requests and mail) in one step that "
                                                       "`undo` reverts, to start your own studio in it")
    own.add_argument("--name", required=True, help="your studio's name")
    own.add_argument("--yes", action="store_true", help="clear (without it, only list what would be cleared)")
    own.add_argument("--user", default=_user())
    own.set_defaults(run=_start_own_studio)

    load = commands.add_parser("import", help="import a CSV or Excel file (all rows or none)")
    load.add_argument("file")
    load.add_argument("--kind", required=True, choices=[*KINDS, SETTINGS],
                      help="the table the file holds; settings: a settings.csv of scheduling rules (key, value)")
    load.add_argument("--user", default=_user())
    load.add_argument("--preview", action="store_true", help="only report what would change")
    load.set_defaults(run=_import)

    commands.add_parser("history", help="list every import").set_defaults(run=_history)

    undo = commands.add_parser("undo", help="undo an import")
    undo.add_argument("id", type=int)
    undo.add_argument("--user", default=_user())
    undo.set_defaults(run=_undo)

    export = commands.add_parser("export", help="write every table back as its contract CSV file, and the published "
                                                "schedules as assignments.csv and assistants.csv")
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(run=_export)

    publish = commands.add_parser("publish", help="publish a plan (assignments.csv of `python -m scheduler solve`, "
                                                  "with its --assistants-out file) as each week's schedule; refused "
                                                  "with the conflicts when it breaks a hard rule as the store stands")
    publish.add_argument("assignments", type=Path)
    publish.add_argument("--assistants", type=Path, help="the plan's assistants file (slot_id, assistant_id)")
    publish.add_argument("--repair", action="store_true",
                         help="where the plan breaks a hard rule now, publish the re-plan that changes the fewest "
                              "assignments instead (each change printed)")
    publish.add_argument("--time-limit", type=positive_seconds, default=10.0,
                         help="seconds the optimiser may spend on a --repair (default 10)")
    publish.add_argument("--user", default=_user())
    publish.set_defaults(run=_publish)

    add_user = commands.add_parser("add-user", help="add a user who can sign in")
    add_user.add_argument("name")
    add_user.add_argument("--role", required=True, choices=ROLES)
    add_user.add_argument("--host-id", help="with --role host: the host_id of hosts.csv this user is (a host or an "
                                            "assistant); they see only their own streams, pay and requests")
    add_user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_user.set_defaults(run=_add_user)

    disable = commands.add_parser("disable-user", help="stop a user signing in (their open session ends at the "
                                                       "next click; their history stays), or --enable them again")
    disable.add_argument("name")
    disable.add_argument("--enable", action="store_true", help="let the user sign in again")
    disable.add_argument("--user", default=_user())
    disable.set_defaults(run=_disable_user)

    feed = commands.add_parser("feed-token", help="make a person's calendar feed link (printed once; their earlier "
                                                  "one stops working), or revoke it")
    feed.add_argument("person", help="a host_id or assistant id of hosts.csv")
    feed.add_argument("--revoke", action="store_true", help="stop the person's feed links from working")
    feed.add_argument("--user", default=_user())
    feed.set_defaults(run=_feed_token)

    listing = commands.add_parser("outbox", help="list the mail waiting to be sent (with its last error)")
    listing.add_argument("--all", action="store_true", help="also the mail already sent")
    listing.set_defaults(run=_outbox)

    commands.add_parser("send-mail", help="try to send the waiting mail now (exit 1 when some still waits)"
                        ).set_defaults(run=_send_mail)

    listed = commands.add_parser("invoices", help="list the studio's invoices to the people it pays (status draft, "
                                                  "sent or paid, with who and when)")
    listed.add_argument("--person", help="one host_id or assistant id")
    listed.add_argument("--from", dest="start", type=date_option, help="periods ending on or after this day")
    listed.add_argument("--to", dest="end", type=date_option, help="periods starting on or before this day")
    listed.set_defaults(run=_invoices)

    drafting = commands.add_parser("draft-invoices", help="draft an invoice per person owed pay in a period, from "
                                                          "the published schedules (a draft is given the new amount; "
                                                          "a sent or paid one is kept)")
    drafting.add_argument("--from", dest="start", type=date_option, required=True, help="first day of the period")
    drafting.add_argument("--to", dest="end", type=date_option, required=True,
                          help="last day of the period (included)")
    drafting.add_argument("--basis", choices=PAY_BASES, default="scheduled", help="hours paid (default scheduled)")
    drafting.add_argument("--user", default=_user())
    drafting.set_defaults(run=_draft_invoices)

    marking = commands.add_parser("mark-invoices", help="mark invoices sent (to the person) or paid, all or none")
    marking.add_argument("numbers", nargs="+", metavar="NUMBER", help="invoice numbers, e.g. INV-2026W48-H001")
    marking.add_argument("--as", dest="status", required=True, choices=(SENT, PAID))
    marking.add_argument("--user", default=_user())
    marking.set_defaults(run=_mark_invoices)

    mail = commands.add_parser("mail-settings", help="show or set the SMTP server the studio's mail goes through")
    mail.add_argument("--host")
    mail.add_argument("--port", type=int)
    mail.add_argument("--sender", help="the From address, e.g. schedule@studio.com")
    mail.add_argument("--smtp-user", help="the user name to log in with (empty: no login)")
    mail.add_argument("--password-stdin", action="store_true", help="read the SMTP password from standard input")
    mail.add_argument("--starttls", action=argparse.BooleanOptionalAction, default=None,
                      help="encrypt the connection with STARTTLS (default on)")
    mail.add_argument("--user", default=_user())
    mail.set_defaults(run=_mail_settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is a message on stderr and exit code 2, never a traceback."""
    return run_command(build_parser(), argv, errors=(VersionConflict,))
