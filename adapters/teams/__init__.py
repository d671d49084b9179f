"""Microsoft Teams adapter: ``mount(app, bot, dev=...)`` adds ``POST /api/messages``.

Built on the Bot Framework SDK for Python (botbuilder-core 4.17 with its aiohttp integration).
Microsoft has archived that SDK in favour of the Microsoft 365 Agents SDK, which speaks the same
Activity protocol: every botbuilder import lives in this folder, so moving touches nothing else.
"""
from __future__ import annotations

import logging

from aiohttp import web

from adapters.serve import Mounted
from adapters.teams.endpoint import ROUTE, TeamsEndpoint, make_adapter
from adapters.teams.settings import TeamsSettings
from bot.bootstrap import open_engine
from bot.service import PolicyBot
from bot.settings import Settings
from bot.store import ConversationStore, SqlConversationStore, StoreError

__all__ = ["ENDPOINT", "TeamsEndpoint", "mount"]

log = logging.getLogger(__name__)
ENDPOINT: web.AppKey[TeamsEndpoint] = web.AppKey("teams_endpoint", TeamsEndpoint)


def mount(app: web.Application, bot: PolicyBot, *, dev: bool) -> Mounted:
    """Add the Teams endpoint when Microsoft credentials are set, or unauthenticated when ``dev``."""
    settings = TeamsSettings()
    if settings.has_credentials:
        if problem := settings.problem():
            return Mounted("Teams", False, problem)
        how = f"Bot Framework tokens checked for app {settings.MICROSOFT_APP_ID}"
    elif dev:
        how = "development mode: unauthenticated activities accepted, replies sent without a token"
    else:
        return Mounted("Teams", False, "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are not set "
                                       "(or run `policybot serve --teams-dev` for local development)")
    adapter = make_adapter(settings.sdk_configuration())
    endpoint = TeamsEndpoint(bot, adapter, settings.MICROSOFT_APP_ID or None, _conversation_store())
    endpoint.add_routes(app)
    app[ENDPOINT] = endpoint
    return Mounted("Teams", True, f"POST {ROUTE}, {how}")


def _conversation_store() -> ConversationStore | None:
    try:
        return SqlConversationStore(open_engine(Settings()))
    except StoreError as exc:
        # Questions are still answered; only the greeting and later broadcasts miss out.
        log.error("Teams conversations will not be stored: %s", exc)
        return None
