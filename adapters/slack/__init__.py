"""Slack adapter (being built): ``mount(app, bot, socket_mode=...)`` adds the Slack endpoints."""
from __future__ import annotations

from aiohttp import web

from adapters.serve import Mounted
from bot.service import PolicyBot


def mount(app: web.Application, bot: PolicyBot, *, socket_mode: bool) -> Mounted:
    return Mounted("Slack", False, "adapter not built yet")
