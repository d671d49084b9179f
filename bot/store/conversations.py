"""Where each chat adapter keeps the conversations it may post to later (broadcasts, reminders).

One row per (channel, conversation id): the school it belongs to and the platform's own
reference to it, as JSON the adapter wrote and only the adapter reads (for Teams, a Bot
Framework ``ConversationReference``). Keep references free of personal data: the adapter
stores how to reach a conversation, not who spoke in it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field
from sqlalchemy import (
    JSON, Column, ColumnElement, Engine, Integer, Row, String, Table, UniqueConstraint, delete, insert,
    select, update,
)
from sqlalchemy.exc import IntegrityError

from bot.models import Channel
from bot.store.database import StoreError, transaction
from bot.store.schema import UtcDateTime, metadata

conversations = Table(
    "conversations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(20), nullable=False),
    Column("school", String(100), nullable=False, index=True),
    # Teams ids run to ~150 characters ("a:1Xyz...", "19:...@thread.tacv2"); leave room.
    Column("conversation_id", String(1000), nullable=False),
    Column("reference", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "conversation_id", name="uq_conversations_channel_conversation"),
)
table = conversations


class StoredConversation(BaseModel):
    channel: Channel
    school: str
    conversation_id: str
    reference: dict[str, Any] = Field(description="The platform's own reference, as the adapter wrote it")
    created_at: datetime
    updated_at: datetime


Reference = dict[str, Any]


class ConversationStore(Protocol):
    def remember(self, channel: Channel, school: str, conversation_id: str, reference: Reference) -> bool:
        """Store or refresh a conversation; True if it was not known before."""
        ...

    def forget(self, channel: Channel, conversation_id: str) -> bool: ...

    def get(self, channel: Channel, conversation_id: str) -> StoredConversation | None: ...

    def list(self, channel: Channel | None = None, school: str | None = None) -> list[StoredConversation]: ...


class SqlConversationStore:
    """``ConversationStore`` on any SQLAlchemy engine; errors are ``StoreError``."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._clock = clock

    def remember(self, channel: Channel, school: str, conversation_id: str, reference: Reference) -> bool:
        now = self._clock()
        row = {"channel": channel.value, "school": school, "conversation_id": conversation_id,
               "reference": reference, "created_at": now, "updated_at": now}
        try:
            with transaction(self._engine, "store a conversation") as conn:
                conn.execute(insert(table).values(row))
            return True
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        # Known already (or stored by a concurrent request a moment ago): refresh it.
        with transaction(self._engine, "update a conversation") as conn:
            refreshed = {"school": school, "reference": reference, "updated_at": now}
            conn.execute(update(table).where(_key(channel, conversation_id)).values(refreshed))
        return False

    def forget(self, channel: Channel, conversation_id: str) -> bool:
        with transaction(self._engine, "forget a conversation") as conn:
            removed: int = conn.execute(delete(table).where(_key(channel, conversation_id))).rowcount
        return removed > 0

    def get(self, channel: Channel, conversation_id: str) -> StoredConversation | None:
        with transaction(self._engine, "read a conversation") as conn:
            row = conn.execute(select(table).where(_key(channel, conversation_id))).first()
        return _record(row) if row else None

    def list(self, channel: Channel | None = None, school: str | None = None) -> list[StoredConversation]:
        query = select(table).order_by(table.c.created_at, table.c.id)
        if channel is not None:
            query = query.where(table.c.channel == channel.value)
        if school is not None:
            query = query.where(table.c.school == school)
        with transaction(self._engine, "read conversations") as conn:
            return [_record(row) for row in conn.execute(query)]


def _key(channel: Channel, conversation_id: str) -> ColumnElement[bool]:
    return (table.c.channel == channel.value) & (table.c.conversation_id == conversation_id)


def _record(row: Row[Any]) -> StoredConversation:
    return StoredConversation.model_validate(row._asdict())
