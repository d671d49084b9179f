"""Teams adapter (being built): ``mount(app, bot, dev=...)`` adds the Bot Framework endpoint."""
from __future__ import annotations

from aiohttp import web

from adapters.serve import Mounted
from bot.service import PolicyBot


def mount(app: web.Application, bot: PolicyBot, *, dev: bool) -> Mounted:
    return Mounted("Teams", False, "adapter not built yet")
