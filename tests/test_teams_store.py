"""Contract tests for the store of conversation references, on a real SQLite file and a real PostgreSQL."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from bot.models import Channel
from bot.store import SqlConversationStore, StoreError, make_engine

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
REFERENCE = {"channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/uk/",
             "conversation": {"id": "19:general@thread.tacv2", "tenantId": "tenant-huxley"}}


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: Engine, clock: Callable[[], datetime]) -> SqlConversationStore:  # noqa: F811
    return SqlConversationStore(engine, clock)


def test_create_schema_makes_the_table(engine: Engine) -> None:  # noqa: F811
    assert "conversations" in inspect(engine).get_table_names()


def test_a_new_conversation_is_remembered_once_and_refreshed_after(store: SqlConversationStore,
                                                                   clock: Clock) -> None:
    assert store.remember(Channel.TEAMS, "huxley", "19:general@thread.tacv2", REFERENCE) is True
    clock.now = T0 + timedelta(days=3)
    moved = REFERENCE | {"serviceUrl": "https://smba.trafficmanager.net/emea/"}
    assert store.remember(Channel.TEAMS, "huxley", "19:general@thread.tacv2", moved) is False

    stored = store.get(Channel.TEAMS, "19:general@thread.tacv2")
    assert stored is not None
    assert (stored.school, stored.reference, stored.created_at, stored.updated_at) == (
        "huxley", moved, T0, T0 + timedelta(days=3))
    assert stored.created_at.utcoffset() == timedelta(0)


def test_the_same_id_on_another_channel_is_another_conversation(store: SqlConversationStore) -> None:
    assert store.remember(Channel.TEAMS, "huxley", "C024BE91L", REFERENCE)
    assert store.remember(Channel.SLACK, "huxley", "C024BE91L", {"team": "THUXLEY", "channel": "C024BE91L"})
    assert [c.channel for c in store.list()] == [Channel.TEAMS, Channel.SLACK]
    assert [c.channel for c in store.list(channel=Channel.SLACK)] == [Channel.SLACK]


def test_listing_filters_by_school_oldest_first(store: SqlConversationStore, clock: Clock) -> None:
    for n, school in enumerate(["huxley", "hampshire", "huxley"]):
        clock.now = T0 + timedelta(minutes=n)
        store.remember(Channel.TEAMS, school, f"a:{n}", REFERENCE)
    assert [c.conversation_id for c in store.list(school="huxley")] == ["a:0", "a:2"]
    assert [c.conversation_id for c in store.list(channel=Channel.TEAMS, school="hampshire")] == ["a:1"]
    assert store.get(Channel.TEAMS, "a:9") is None


def test_forgetting_removes_only_that_conversation(store: SqlConversationStore) -> None:
    store.remember(Channel.TEAMS, "huxley", "a:1", REFERENCE)
    store.remember(Channel.TEAMS, "huxley", "a:2", REFERENCE)
    assert store.forget(Channel.TEAMS, "a:1") is True
    assert store.forget(Channel.TEAMS, "a:1") is False
    assert [c.conversation_id for c in store.list()] == ["a:2"]


def test_a_long_teams_id_fits(store: SqlConversationStore) -> None:
    long_id = "a:" + "1Xy" * 150
    assert store.remember(Channel.TEAMS, "huxley", long_id, REFERENCE)
    assert store.get(Channel.TEAMS, long_id) is not None


def test_a_failure_other_than_a_duplicate_is_a_store_error(tmp_path: Path) -> None:
    store = SqlConversationStore(make_engine(f"sqlite:///{tmp_path / 'bare.db'}"))  # schema never created
    with pytest.raises(StoreError, match="could not store a conversation.*no such table"):
        store.remember(Channel.TEAMS, "huxley", "a:1", REFERENCE)
