"""`python -m index migrate`: move an SQLite store into PostgreSQL, for several bot processes."""
from __future__ import annotations

import sys

from index.settings import IndexSettings, load_settings


def register(commands) -> None:
    migrate = commands.add_parser("migrate", help="copy the SQLite store into an empty PostgreSQL database, whole")
    migrate.add_argument("--index", metavar="PATH", help="the SQLite store to copy (default: VERBATIM_INDEX_PATH)")
    migrate.add_argument("--to", metavar="URL", help="the PostgreSQL database, postgresql://user:password@host/dbname "
                         "(default: VERBATIM_DATABASE_URL)")
    migrate.set_defaults(run=run_migrate)


def run_migrate(args) -> int:
    from index.errors import EngineError
    from index.store.migration import migrate
    from index.store.postgres import PostgresStore
    from index.store.sqlite import SQLiteStore

    overrides = {"index_path": args.index} if args.index else {}
    if args.to:
        overrides["database_url"] = args.to
    settings: IndexSettings = load_settings(IndexSettings, **overrides)
    if settings.database_url is None:
        raise EngineError("say where to: --to postgresql://user:password@host/dbname, or set VERBATIM_DATABASE_URL")
    source, target = SQLiteStore(settings.index_path), PostgresStore(settings.database_url.get_secret_value())
    copied = migrate(source, target, on_progress=lambda table, n: print(f"\r{table}: {n} rows", end="",
                                                                          file=sys.stderr))
    print(file=sys.stderr)
    versions = copied["versions"]
    print(f"copied {source.path} into {target.name}: {versions} versions, {copied['passages']} passage rows, "
          f"{copied['audit']} audit entries, {copied['answers']} answers. Set VERBATIM_DATABASE_URL to use it; "
          f"the file is unchanged.")
    return 0
