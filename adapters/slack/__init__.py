"""Slack adapter: ``mount(app, bot, socket_mode=...)`` adds the Slack endpoints to ``policybot serve``.

Over HTTP: ``/slack/events`` for events, slash commands and buttons, plus ``/slack/install`` and
``/slack/oauth_redirect`` when the OAuth settings are present. With ``socket_mode``: a WebSocket
to Slack opened at start-up instead. Either way the same listeners reach the same core.
"""
from __future__ import annotations

import logging

from aiohttp import web
from pydantic import ValidationError
from sqlalchemy import Engine

from adapters.serve import Mounted
from adapters.slack.app import build_bolt
from adapters.slack.feedback import LongQuestions
from adapters.slack.http import SlackRoutes
from adapters.slack.listeners import SlackListeners
from adapters.slack.settings import Mode, SlackSettings, secret
from adapters.slack.socket_mode import SocketModeRunner
from bot.bootstrap import open_engine
from bot.service import PolicyBot
from bot.settings import Settings
from bot.store import StoreError

log = logging.getLogger(__name__)
NAME = "Slack"


def mount(app: web.Application, bot: PolicyBot, *, socket_mode: bool, settings: SlackSettings | None = None,
          engine: Engine | None = None) -> Mounted:
    """Add the Slack endpoints when their settings are present; say why not otherwise.

    ``settings`` defaults to the environment (``SLACK_*``); ``engine`` to the project's database
    (``POLICYBOT_DATABASE_URL``), which keeps OAuth installations and over-long questions.
    """
    try:
        settings = settings or SlackSettings()
    except ValidationError as exc:
        return Mounted(NAME, False, "bad setting: " + "; ".join(e["msg"] for e in exc.errors()))
    if why := settings.missing(socket_mode):
        return Mounted(NAME, False, why)
    if engine is None:
        try:
            engine = open_engine(Settings())
        except (StoreError, ValidationError) as exc:
            if settings.mode is Mode.OAUTH:
                return Mounted(NAME, False, f"installations need the database, which cannot be used: {exc}")
            log.error("Slack: long questions cannot be kept for their feedback buttons: %s", exc)

    listeners = SlackListeners(bot, LongQuestions(engine))
    bolt = build_bolt(settings, listeners, engine)
    app.on_cleanup.append(listeners.close)
    if socket_mode:
        runner = SocketModeRunner(bolt, secret(settings.app_token) or "")
        app.on_startup.append(runner.start)
        app.on_cleanup.insert(0, runner.stop)
        return Mounted(NAME, True, f"Socket Mode; {settings.mode}")

    routes = SlackRoutes(bolt, secret(settings.signing_secret) or "")
    app.router.add_post("/slack/events", routes.events)
    where = "events, commands and buttons at /slack/events"
    if bolt.oauth_flow is not None:
        app.router.add_get("/slack/install", routes.install)
        app.router.add_get("/slack/oauth_redirect", routes.oauth_redirect)
        where += ", installs at /slack/install"
    return Mounted(NAME, True, f"{where}; {settings.mode}")

