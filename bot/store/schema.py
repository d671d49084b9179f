"""The tables, in SQLAlchemy Core, portable between SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, DateTime, Dialect, Integer, MetaData, String, Table, Text
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time stored as UTC and always read back timezone-aware.

    SQLite has no timezone type: it keeps naive text, so values are converted to UTC before
    the offset is dropped and UTC is attached again on the way out. PostgreSQL's timestamptz
    comes back in the session's time zone, so it is converted to UTC for one representation.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

# Questions can hold personal data: keep exactly these columns and nothing about the asker
# beyond the optional identifier the school allowed.
unanswered_questions = Table(
    "unanswered_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Indexed because listing sorts by it and retention purges by it.
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("school", String(100), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("channel", String(20), nullable=False),
    Column("asker", String(200), nullable=True),
    # A list of {clause_id, policy, ref, score}: what the bot considered, for HR to review.
    Column("candidates", JSON, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("resolved_at", UtcDateTime, nullable=True),
)

# What readers said about answers; the asker only where the school allowed it.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("school", String(100), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("clause_ids", JSON, nullable=False),
    Column("asker", String(200), nullable=True),
)

# Questions too long to travel in a chat button, kept by a reference until the reader answers it.
kept_questions = Table(
    "kept_questions",
    metadata,
    Column("ref", String(64), primary_key=True),
    Column("school", String(100), nullable=False),
    Column("question", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
)

# Every table that holds what staff asked: retention (`policybot log purge`) ages them all out.
QUESTION_TABLES = (unanswered_questions, feedback, kept_questions)
