"""Contract tests for the unanswered-question log, on a real SQLite file and a real PostgreSQL."""
from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from bot.models import Candidate, Channel, LogStatus, UnansweredQuestion
from bot.store import SqlUnansweredLog, StoreError, UnansweredLog, create_schema, make_engine
from bot.store.schema import unanswered_questions as table

T0 = datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def log(engine: Engine) -> UnansweredLog:
    return SqlUnansweredLog(engine)


def question(
    created_at: datetime = T0,
    school: str = "oakfield",
    asked: str = "Can I claim mileage for a school trip?",
    **fields: object,
) -> UnansweredQuestion:
    return UnansweredQuestion(
        created_at=created_at, school=school, question=asked, channel=Channel.SLACK, **fields
    )


def _write_many(url: str, count: int, start: multiprocessing.synchronize.Barrier) -> None:
    log = SqlUnansweredLog(make_engine(url))
    start.wait()  # all writers begin together, so their transactions really contend
    for n in range(count):
        log.add(question(asked=f"question {os.getpid()}-{n}"))


# --- the contract, on both databases -------------------------------------------------------


def test_add_then_list_round_trips_every_field(log: UnansweredLog) -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30))
    entry = question(
        created_at=T0.astimezone(kolkata),
        asker="U024BE7LH",
        candidates=[
            Candidate(clause_id="oakfield/expenses.docx#12", policy="Expenses Policy", ref="4.6", score=0.41),
            Candidate(clause_id="oakfield/trips.pdf#3", policy="Educational Visits", ref="", score=0.125),
        ],
    )

    new_id = log.add(entry)
    [stored] = log.list()

    assert stored == entry.model_copy(update={"id": new_id})
    assert stored.created_at == T0
    assert stored.created_at.utcoffset() == timedelta(0)


def test_ids_are_distinct(log: UnansweredLog) -> None:
    ids = {log.add(question()) for _ in range(3)}
    assert len(ids) == 3


def test_list_filters_by_school_and_status(log: UnansweredLog) -> None:
    oak_open = log.add(question(school="oakfield"))
    oak_resolved = log.add(question(school="oakfield", status=LogStatus.RESOLVED))
    elm_open = log.add(question(school="elmhurst"))

    def ids(entries: list[UnansweredQuestion]) -> set[int | None]:
        return {entry.id for entry in entries}

    assert ids(log.list(school="oakfield")) == {oak_open, oak_resolved}
    assert ids(log.list(status=LogStatus.OPEN)) == {oak_open, elm_open}
    assert ids(log.list(school="oakfield", status=LogStatus.RESOLVED)) == {oak_resolved}
    assert log.list(school="nowhere") == []


def test_list_is_newest_first_and_limited(log: UnansweredLog) -> None:
    # Inserted out of order, so insertion order cannot pass for date order.
    for hours in (2, 0, 3, 1):
        log.add(question(created_at=T0 + timedelta(hours=hours), asked=f"asked at +{hours}h"))

    newest_first = ["asked at +3h", "asked at +2h", "asked at +1h", "asked at +0h"]
    assert [e.question for e in log.list()] == newest_first
    assert [e.question for e in log.list(limit=2)] == ["asked at +3h", "asked at +2h"]


def test_entries_from_the_same_instant_list_later_insert_first(log: UnansweredLog) -> None:
    first, second = log.add(question()), log.add(question())
    assert [entry.id for entry in log.list()] == [second, first]


def test_set_status_resolves_and_reopens(log: UnansweredLog, engine: Engine) -> None:
    entry_id = log.add(question())

    def resolved_at() -> datetime | None:
        with engine.connect() as conn:
            return conn.execute(select(table.c.resolved_at).where(table.c.id == entry_id)).scalar_one()

    before = datetime.now(UTC)
    assert log.set_status(entry_id, LogStatus.RESOLVED) is True
    assert [e.status for e in log.list()] == [LogStatus.RESOLVED]
    stamp = resolved_at()
    assert stamp is not None and before <= stamp <= datetime.now(UTC)

    assert log.set_status(entry_id, LogStatus.OPEN) is True
    assert [e.status for e in log.list()] == [LogStatus.OPEN]
    assert resolved_at() is None


def test_set_status_of_unknown_id_is_false(log: UnansweredLog) -> None:
    log.add(question())
    assert log.set_status(999_999, LogStatus.RESOLVED) is False
    assert [e.status for e in log.list()] == [LogStatus.OPEN]


def test_purge_deletes_only_entries_created_before(log: UnansweredLog) -> None:
    for days in (0, 10, 40, 400):
        log.add(question(created_at=T0 - timedelta(days=days), asked=f"{days} days old"))

    assert log.purge(before=T0 - timedelta(days=30)) == 2
    assert [e.question for e in log.list()] == ["0 days old", "10 days old"]
    assert log.purge(before=T0 - timedelta(days=30)) == 0


def test_purge_boundary_is_exclusive_across_time_zones(log: UnansweredLog) -> None:
    log.add(question(created_at=T0))
    # The same instant written in another zone: not "before" it.
    assert log.purge(before=T0.astimezone(timezone(timedelta(hours=-7)))) == 0
    assert log.purge(before=T0 + timedelta(microseconds=1)) == 1


def test_purge_can_be_limited_to_one_school(log: UnansweredLog) -> None:
    old = T0 - timedelta(days=400)
    log.add(question(created_at=old, school="oakfield"))
    log.add(question(created_at=old, school="elmhurst"))
    log.add(question(created_at=T0, school="oakfield"))

    assert log.purge(before=T0 - timedelta(days=30), school="oakfield") == 1
    assert sorted((e.school, e.created_at) for e in log.list()) == [("elmhurst", old), ("oakfield", T0)]


def test_missing_asker_is_stored_as_null(log: UnansweredLog, engine: Engine) -> None:
    anonymous = log.add(question(asker=None))
    named = log.add(question(asker="U024BE7LH"))

    with engine.connect() as conn:
        null_ids = conn.execute(select(table.c.id).where(table.c.asker.is_(None))).scalars().all()
    assert null_ids == [anonymous]
    assert {e.id: e.asker for e in log.list()} == {anonymous: None, named: "U024BE7LH"}


def test_naive_datetimes_are_refused(log: UnansweredLog) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        log.add(question(created_at=datetime(2024, 3, 1, 9, 30)))
    with pytest.raises(ValueError, match="timezone-aware"):
        log.purge(before=datetime(2024, 3, 1, 9, 30))
    assert log.list() == []


def test_create_schema_twice_keeps_the_rows(log: UnansweredLog, engine: Engine) -> None:
    log.add(question())
    create_schema(engine)
    assert len(log.list()) == 1


def test_failing_statement_raises_store_error_without_the_question(
    log: UnansweredLog, engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE unanswered_questions"))
    private = "Is my colleague's diagnosis something I must report?"

    with pytest.raises(StoreError) as caught:
        log.add(question(asked=private))

    message = str(caught.value)
    assert message.startswith("could not add the unanswered question in the database at ")
    assert "unanswered_questions" in message  # the driver's reason: the missing table
    assert "diagnosis" not in message


# --- SQLite specifics ----------------------------------------------------------------------


def test_sqlite_connections_are_wal_durable_and_patient(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        settings = {
            pragma: conn.exec_driver_sql(f"PRAGMA {pragma}").scalar()
            for pragma in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    engine.dispose()
    # synchronous 2 is FULL.
    assert settings == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 5000, "foreign_keys": 1}


def test_sqlite_relative_path_is_under_the_working_folder_which_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = make_engine("sqlite:///data/policybot.db")
    create_schema(engine)
    engine.dispose()
    assert (tmp_path / "data" / "policybot.db").is_file()


def test_sqlite_absolute_path_gets_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "policybot.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    assert path.is_file()


def test_concurrent_processes_lose_no_writes(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    create_schema(engine)
    processes, writes = 4, 50
    # spawn: each writer is a fresh interpreter with its own connections, as separate bot processes are.
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    workers = [
        context.Process(target=_write_many, args=(sqlite_url, writes, start)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert [worker.exitcode for worker in workers] == [0] * processes
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        distinct = conn.execute(select(func.count(table.c.question.distinct()))).scalar_one()
    engine.dispose()
    assert count == distinct == processes * writes


# --- opening failures ----------------------------------------------------------------------


def test_sqlite_path_under_a_file_raises_store_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    url = f"sqlite:///{tmp_path / 'not-a-folder' / 'policybot.db'}"

    with pytest.raises(StoreError, match="cannot be opened") as caught:
        create_schema(make_engine(url))
    assert str(tmp_path / "not-a-folder") in str(caught.value)


def test_sqlite_database_that_is_a_folder_raises_store_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}")
    with pytest.raises(StoreError, match=r"^the database at sqlite:///.* cannot be opened: "):
        create_schema(engine)


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:s3cret@127.0.0.1:1/x", "postgresql://u@127.0.0.1:1/x?password=s3cret"],
    ids=["password-in-userinfo", "password-in-query"],
)
def test_unreachable_postgres_raises_store_error_without_password(url: str) -> None:
    engine = make_engine(url)
    with pytest.raises(StoreError) as caught:
        create_schema(engine)

    message = str(caught.value)
    assert message.startswith("the database at postgresql+psycopg://u")
    assert "cannot be opened" in message and "127.0.0.1" in message
    assert "s3cret" not in message


def test_unparseable_url_raises_store_error_without_password() -> None:
    with pytest.raises(StoreError, match="not a valid SQLAlchemy URL") as caught:
        make_engine("u:s3cret@127.0.0.1/x")
    assert "s3cret" not in str(caught.value)


def test_unknown_database_kind_raises_store_error() -> None:
    with pytest.raises(StoreError, match="unknown database kind") as caught:
        make_engine("nosuchdb://u:s3cret@host/x")
    assert "s3cret" not in str(caught.value)


def test_plain_postgresql_url_uses_psycopg_3() -> None:
    engine = make_engine("postgresql://u@127.0.0.1:1/x")
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.dialect.driver == "psycopg"
