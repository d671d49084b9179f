"""What readers said about answers ("Helpful", "Not helpful", "Ask HR"), kept for HR."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine, Row, insert, select

from bot.models import Feedback
from bot.store.database import delete_older_than, transaction
from bot.store.schema import feedback as table


class FeedbackLog(Protocol):
    def add(self, entry: Feedback) -> int: ...

    def list(self, school: str | None = None, limit: int = 100) -> list[Feedback]: ...

    def purge(self, before: datetime, school: str | None = None) -> int: ...


class SqlFeedbackLog:
    """``FeedbackLog`` on any SQLAlchemy engine; errors are ``StoreError``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, entry: Feedback) -> int:
        values = entry.model_dump(mode="python", exclude={"id"})
        values.update(verdict=entry.verdict.value, channel=entry.channel.value)
        with transaction(self._engine, "add feedback") as conn:
            new_id: int = conn.execute(insert(table).values(values)).inserted_primary_key.id
        return new_id

    def list(self, school: str | None = None, limit: int = 100) -> list[Feedback]:
        query = select(table).order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
        if school is not None:
            query = query.where(table.c.school == school)
        with transaction(self._engine, "read feedback") as conn:
            return [_entry(row) for row in conn.execute(query)]

    def purge(self, before: datetime, school: str | None = None) -> int:
        return delete_older_than(self._engine, table, before, school, "delete old feedback")


def _entry(row: Row[Any]) -> Feedback:
    return Feedback.model_validate(row._asdict())
