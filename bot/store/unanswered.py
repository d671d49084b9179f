"""The unanswered-question log: questions the bot could not answer, kept for HR to review."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine, Row, insert, select, update

from bot.models import LogStatus, UnansweredQuestion
from bot.store.database import delete_older_than, transaction
from bot.store.schema import unanswered_questions as table


class UnansweredLog(Protocol):
    def add(self, entry: UnansweredQuestion) -> int:
        """Store the entry (its ``id`` is ignored) and return the id it was given."""
        ...

    def list(
        self, school: str | None = None, status: LogStatus | None = None, limit: int = 100
    ) -> list[UnansweredQuestion]:
        """Entries newest first, optionally only one school's or only one status."""
        ...

    def set_status(self, entry_id: int, status: LogStatus) -> bool:
        """Mark an entry open or resolved; False if there is no such entry."""
        ...

    def purge(self, before: datetime, school: str | None = None) -> int:
        """Delete entries created before ``before`` (data retention); return how many."""
        ...


class SqlUnansweredLog:
    """``UnansweredLog`` on any SQLAlchemy engine (SQLite or PostgreSQL); errors are ``StoreError``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, entry: UnansweredQuestion) -> int:
        _require_aware(entry.created_at, "created_at")
        values = {
            "created_at": entry.created_at,
            "school": entry.school,
            "question": entry.question,
            "channel": entry.channel.value,
            "asker": entry.asker,
            "candidates": [candidate.model_dump(mode="json") for candidate in entry.candidates],
            "status": entry.status.value,
            "resolved_at": (entry.resolved_at or datetime.now(UTC)) if entry.status is LogStatus.RESOLVED else None,
        }
        with transaction(self._engine, "add the unanswered question") as conn:
            new_id: int = conn.execute(insert(table).values(values)).inserted_primary_key.id
        return new_id

    def list(
        self, school: str | None = None, status: LogStatus | None = None, limit: int = 100
    ) -> list[UnansweredQuestion]:
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        # id breaks ties between entries logged in the same microsecond: later insert first.
        query = select(table).order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
        if school is not None:
            query = query.where(table.c.school == school)
        if status is not None:
            query = query.where(table.c.status == status.value)
        with transaction(self._engine, "read the unanswered questions") as conn:
            rows = conn.execute(query).all()
        return [_entry(row) for row in rows]

    def set_status(self, entry_id: int, status: LogStatus) -> bool:
        # Reopening clears resolved_at so it always means "resolved, and since when".
        resolved_at = datetime.now(UTC) if status is LogStatus.RESOLVED else None
        query = (
            update(table)
            .where(table.c.id == entry_id)
            .values(status=status.value, resolved_at=resolved_at)
        )
        with transaction(self._engine, f"set the status of unanswered question {entry_id}") as conn:
            changed = conn.execute(query).rowcount
        return changed == 1

    def purge(self, before: datetime, school: str | None = None) -> int:
        _require_aware(before, "before")
        return delete_older_than(self._engine, table, before, school, "delete old unanswered questions")


def _require_aware(value: datetime, name: str) -> None:
    # A naive datetime would be read as the server's local time and silently shift entries.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")


def _entry(row: Row[Any]) -> UnansweredQuestion:
    return UnansweredQuestion(
        id=row.id,
        created_at=row.created_at,
        school=row.school,
        question=row.question,
        channel=row.channel,
        asker=row.asker,
        candidates=row.candidates,
        status=row.status,
        resolved_at=row.resolved_at,
    )
