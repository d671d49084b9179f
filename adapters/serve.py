"""``policybot serve``: one aiohttp process for every chat endpoint whose settings are present.

Each adapter exposes ``mount(app, bot, **options) -> Mounted``: it adds its routes (and any
start-up/clean-up hooks) to the app when it is configured, and says why not when it is not.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web

from bot.service import PolicyBot

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Mounted:
    name: str
    up: bool
    detail: str  # where it listens, or why it is not up

    def describe(self) -> str:
        return f"{self.name}: {'up' if self.up else 'off'} ({self.detail})"


async def _health(request: web.Request) -> web.Response:
    bot: PolicyBot = request.app[BOT]
    return web.json_response({"status": "ok", "schools": len(bot.knowledge.schools)})


BOT: web.AppKey[PolicyBot] = web.AppKey("bot", PolicyBot)


def build_app(bot: PolicyBot) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[BOT] = bot
    app.router.add_get("/healthz", _health)
    return app
