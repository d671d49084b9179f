"""Where Slack's OAuth flow keeps each workspace's installation, in the project's own database.

For a provider serving many schools: each school installs the app into its workspace
(``/slack/install``) and Bolt finds that workspace's bot token here for every request. The tables
sit on the shared ``metadata``, so ``create_schema`` makes them with the others. Each row keeps
the SDK's whole object as JSON (as slack-sdk's file store does) next to the columns it is found
by; the engine is synchronous, so queries run on a worker thread. Tokens are stored as Slack
issues them: protect the database as you would the tokens.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import JSON, Column, Engine, Integer, String, Table, delete, insert, select

from bot.store.database import transaction
from bot.store.schema import UtcDateTime, metadata

log = logging.getLogger(__name__)


def _table(name: str, *extra: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(64), nullable=False),
        Column("enterprise_id", String(32), nullable=True),
        Column("team_id", String(32), nullable=True, index=True),
        *extra,
        Column("installed_at", UtcDateTime, nullable=False),
        Column("data", JSON, nullable=False),  # the SDK object's attributes, tokens included
    )


installations = _table("slack_installations", Column("user_id", String(32), nullable=True))
bots = _table("slack_bots")
oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False, unique=True),
    Column("expire_at", UtcDateTime, nullable=False, index=True),
)


class SqlInstallationStore(AsyncInstallationStore):
    def __init__(self, engine: Engine, client_id: str) -> None:
        self._engine = engine
        self._client_id = client_id

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self._save, installations, installation, user_id=installation.user_id)
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self._save, bots, bot)

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        data = await asyncio.to_thread(self._latest, bots, enterprise_id, None if is_enterprise_install else team_id)
        return Bot(**data) if data else None

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        team_id = None if is_enterprise_install else team_id
        data = await asyncio.to_thread(self._latest, installations, enterprise_id, team_id, user_id)
        if not data:
            return None
        installation = Installation(**data)
        bot = await self.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is not None and bot.bot_token != installation.bot_token:
            # A later installation by someone else may have replaced the bot token: use the latest.
            installation.bot_token, installation.bot_id = bot.bot_token, bot.bot_id
            installation.bot_user_id, installation.bot_scopes = bot.bot_user_id, bot.bot_scopes
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self._delete, bots, enterprise_id, team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self._delete, installations, enterprise_id, team_id, user_id)

    def _save(self, table: Table, entity: Installation | Bot, **extra: str | None) -> None:
        values = {"client_id": self._client_id, "enterprise_id": entity.enterprise_id, "team_id": entity.team_id,
                  "installed_at": datetime.fromtimestamp(entity.installed_at, UTC), "data": dict(vars(entity)),
                  **extra}
        with transaction(self._engine, "save a Slack installation") as conn:
            conn.execute(insert(table).values(values))

    def _latest(self, table: Table, enterprise_id: str | None, team_id: str | None,
                user_id: str | None = None) -> dict[str, Any] | None:
        query = self._where(select(table.c.data), table, enterprise_id, team_id, user_id)
        with transaction(self._engine, "find a Slack installation") as conn:
            row = conn.execute(query.order_by(table.c.installed_at.desc(), table.c.id.desc()).limit(1)).first()
        return dict(row.data) if row else None

    def _delete(self, table: Table, enterprise_id: str | None, team_id: str | None,
                user_id: str | None = None) -> None:
        with transaction(self._engine, "delete a Slack installation") as conn:
            conn.execute(self._where(delete(table), table, enterprise_id, team_id, user_id))

    def _where(self, query: Any, table: Table, enterprise_id: str | None, team_id: str | None,
               user_id: str | None) -> Any:
        # "== None" is SQL's IS NULL here: an installation without an enterprise matches None.
        query = query.where(table.c.client_id == self._client_id, table.c.enterprise_id == enterprise_id,
                            table.c.team_id == team_id)
        return query.where(table.c.user_id == user_id) if user_id is not None else query


class SqlOAuthStateStore(AsyncOAuthStateStore):
    """The one-time ``state`` of each install attempt: issued on /slack/install, consumed on return."""

    def __init__(self, engine: Engine, expiration_seconds: int = 600) -> None:
        self._engine = engine
        self._lifetime = timedelta(seconds=expiration_seconds)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        return await asyncio.to_thread(self._issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self._consume, state)

    def _issue(self) -> str:
        state = secrets.token_urlsafe(32)
        with transaction(self._engine, "start a Slack installation") as conn:
            conn.execute(insert(oauth_states).values(state=state, expire_at=datetime.now(UTC) + self._lifetime))
        return state

    def _consume(self, state: str) -> bool:
        now = datetime.now(UTC)
        with transaction(self._engine, "finish a Slack installation") as conn:
            conn.execute(delete(oauth_states).where(oauth_states.c.expire_at <= now))
            found = conn.execute(delete(oauth_states).where(oauth_states.c.state == state)).rowcount
        return found == 1
