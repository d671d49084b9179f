"""Opening the database: engines, SQLite settings, schema creation and readable errors."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, Table, create_engine, delete, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from bot.store.schema import QUESTION_TABLES, metadata

# SQLite settings applied to every new connection (they are per connection, not per file).
# synchronous=FULL: a logged question must survive a power cut, so fsync on every commit.
# busy_timeout: several processes (CLI, chat adapters) may write at once; wait for the lock.
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
)

# libpq waits forever for an unreachable host by default; a chat bot should fail and say so.
_POSTGRES_CONNECT_TIMEOUT_S = 10


class StoreError(Exception):
    """The database cannot be opened or used; the message is one sentence without secrets."""


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL such as ``sqlite:///data/policybot.db`` or ``postgresql://...``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # SQLAlchemy's message repeats the whole string, password included.
        raise StoreError(
            "the database URL is not a valid SQLAlchemy URL (expected e.g. sqlite:///data/policybot.db)"
        ) from None
    if parsed.drivername == "postgresql":
        # Plain postgresql:// means psycopg2 to SQLAlchemy; psycopg 3 is what is installed.
        parsed = parsed.set(drivername="postgresql+psycopg")

    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        _create_parent_folder(parsed)
    elif backend == "postgresql":
        # Pre-ping: a long-running bot outlives server restarts; don't hand out dead connections.
        kwargs["pool_pre_ping"] = True
        if "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": _POSTGRES_CONNECT_TIMEOUT_S}

    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError as exc:
        raise StoreError(f"the database URL {describe(parsed)} names an unknown database kind") from exc
    except ImportError as exc:
        raise StoreError(
            f"the database at {describe(parsed)} needs the Python driver {exc.name}, which is not installed "
            "(for PostgreSQL: install policybot[postgres])"
        ) from exc

    if backend == "sqlite":
        event.listen(engine, "connect", _apply_sqlite_pragmas)
    return engine


def create_schema(engine: Engine) -> None:
    """Create any missing tables; existing tables and their rows are left alone."""
    with transaction(engine, "create the tables") as conn:
        metadata.create_all(conn)


@contextmanager
def transaction(engine: Engine, doing: str) -> Iterator[Connection]:
    """A connection in one transaction; any database failure becomes a ``StoreError``.

    ``doing`` completes "could not ..." in the message, e.g. "add the question".
    """
    where = describe(engine.url)
    try:
        conn = engine.connect()
    except SQLAlchemyError as exc:
        raise StoreError(f"the database at {where} cannot be opened: {_reason(exc, engine.url)}") from exc
    try:
        with conn, conn.begin():
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(f"could not {doing} in the database at {where}: {_reason(exc, engine.url)}") from exc


def describe(url: URL) -> str:
    """The URL for people to read: password masked, query dropped (libpq accepts ?password= too)."""
    return url.set(query={}).render_as_string(hide_password=True)


def _reason(exc: SQLAlchemyError, url: URL) -> str:
    # Only the driver's own message: SQLAlchemy's str() appends the SQL parameters, which
    # would copy a staff member's question into logs. First line only, to stay one sentence.
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    text = lines[0] if lines else type(cause).__name__
    for secret in (url.password, url.query.get("password")):
        if isinstance(secret, str) and secret:
            text = text.replace(secret, "***")
    return text


def _create_parent_folder(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri"):
        return
    folder = Path(database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocked = isinstance(exc, FileExistsError | NotADirectoryError)
        raise StoreError(
            f"the database at {describe(url)} cannot be opened: its folder {folder} cannot be created "
            f"({'a file is in the way' if blocked else exc.strerror})"
        ) from exc


def _apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def delete_older_than(engine: Engine, table: Table, before: datetime, school: str | None, doing: str) -> int:
    """Delete a table's rows created before ``before`` (for one school if given): data retention."""
    if before.tzinfo is None:
        raise ValueError("before must be timezone-aware")
    query = delete(table).where(table.c.created_at < before)
    if school is not None:
        query = query.where(table.c.school == school)
    with transaction(engine, doing) as conn:
        deleted: int = conn.execute(query).rowcount
    return deleted


def purge_questions(engine: Engine, before: datetime, school: str | None = None) -> dict[str, int]:
    """Delete every stored question older than ``before`` (for one school if given), table by table."""
    return {table.name: delete_older_than(engine, table, before, school, f"delete old rows of {table.name}")
            for table in QUESTION_TABLES}
