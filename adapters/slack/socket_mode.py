"""Socket Mode: for a school with no public URL, Slack's events arrive over a WebSocket instead.

The same Bolt app and listeners serve both ways. The connection is opened in the background when
the server starts, so the server listens at once even offline; slack-sdk's client keeps retrying
and reconnects by itself.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

log = logging.getLogger(__name__)


class _OneLine(logging.Filter):
    """slack-sdk logs each failed connection attempt with its traceback, every 10 s while Slack is
    out of reach; its message already names the error, so keep that line only."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


_client_log = logging.getLogger(f"{__name__}.client")
_client_log.addFilter(_OneLine())


class SocketModeRunner:
    def __init__(self, bolt: AsyncApp, app_token: str) -> None:
        self._bolt = bolt
        self._app_token = app_token
        self._handler: AsyncSocketModeHandler | None = None
        self._connecting: asyncio.Task[None] | None = None

    async def start(self, _app: web.Application) -> None:
        # The handler opens an aiohttp session, so it is made here, inside the running loop.
        self._handler = AsyncSocketModeHandler(self._bolt, self._app_token, logger=_client_log,
                                               web_client=self._bolt.client)
        self._connecting = asyncio.create_task(self._handler.connect_async())
        log.info("Slack Socket Mode: connecting")

    async def stop(self, _app: web.Application) -> None:
        if self._handler is not None:
            await self._handler.close_async()
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
