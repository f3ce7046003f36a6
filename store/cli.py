"""`python -m store ...`: create, import into, undo, export and manage users of the studio's store."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from contract.cli import run_command
from store.errors import VersionConflict
from store.kinds import KINDS
from store.seed import open_seeded, publish_plan
from store.store import Store
from store.users import ROLES

SAMPLE_STUDIO = Path(__file__).resolve().parents[1] / "sample_data" / "studio"  # what an empty store starts with


def _open(url: str | None, seed_dir: Path = SAMPLE_STUDIO) -> Store:
    """The store at `url`; one that is still empty is seeded first, from the sample studio unless told."""
    return open_seeded(url, seed_dir)


def _user() -> str:
    return os.environ.get("STUDIO_USER") or getpass.getuser()


def _init(args) -> int:
    store = _open(args.url, args.seed_dir)
    print(f"store ready at {store.engine.url.render_as_string(hide_password=True)}")
    return 0


def _import(args) -> int:
    store = _open(args.url)
    path = Path(args.file)
    if args.preview:
        report = store.preview_import(path, args.kind, path.name)
        print(report.summary())
        return 0 if report.ok else 2
    print(store.import_file(path, args.kind, path.name, args.user).summary())
    return 0


def _history(args) -> int:
    history = _open(args.url).import_history()
    print(history.to_string(index=False) if len(history) else "no imports yet")
    return 0


def _undo(args) -> int:
    _open(args.url).undo_import(args.id, args.user)
    print(f"import {args.id} undone")
    return 0


def _export(args) -> int:
    for path in _open(args.url).export_all(args.out):
        print(f"wrote {path}")
    return 0


def _publish(args) -> int:
    store = _open(args.url)
    weeks = publish_plan(store, args.assignments, args.assistants, args.user)
    if not weeks:
        print(f"{args.assignments.name} has no slots; nothing published")
        return 0
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
    _open(args.url).users.add_user(args.name, args.role, password)
    print(f"added {args.name} ({args.role})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__)
    parser.add_argument("--url", help="database URL (default: STUDIO_DATABASE_URL, else the SQLite file at "
                                      "STUDIO_DB_PATH, else .store/studio.db)")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create or upgrade the store; seed it with the sample studio (and publish "
                                            "its past weeks' plans from history/) if empty")
    init.add_argument("--seed-dir", type=Path, default=SAMPLE_STUDIO)
    init.set_defaults(run=_init)

    load = commands.add_parser("import", help="import a CSV or Excel file (all rows or none)")
    load.add_argument("file")
    load.add_argument("--kind", required=True, choices=list(KINDS))
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
                                                  "with its --assistants-out file) as each week's schedule")
    publish.add_argument("assignments", type=Path)
    publish.add_argument("--assistants", type=Path, help="the plan's assistants file (slot_id, assistant_id)")
    publish.add_argument("--user", default=_user())
    publish.set_defaults(run=_publish)

    add_user = commands.add_parser("add-user", help="add a user who can sign in")
    add_user.add_argument("name")
    add_user.add_argument("--role", required=True, choices=ROLES)
    add_user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_user.set_defaults(run=_add_user)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is a message on stderr and exit code 2, never a traceback."""
    return run_command(build_parser(), argv, errors=(VersionConflict,))
