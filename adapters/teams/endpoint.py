"""``POST /api/messages``: our own small route around botbuilder's ``CloudAdapter``.

Not ``CloudAdapter.process``: in botbuilder 4.17 it answers 500 to invalid JSON and to every
invoke whose handler returns a body. Here the body is parsed and checked first (400 with one
line, no traceback), the token is checked on its own (401), and only then does the adapter run
the turn; an invoke's response body is returned as JSON.
"""
from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult
from msrest.universal_http.requests import ClientRetryPolicy

from adapters.teams import inbound
from adapters.teams.sending import Content, RetryPolicy, send_proactive
from adapters.teams.turns import Turns
from bot.service import PolicyBot
from bot.store import ConversationStore

log = logging.getLogger(__name__)
ROUTE = "/api/messages"

# botbuilder builds two msrest clients per turn, and each builds a ClientRetryPolicy whose
# constructor tests range(999) against a 500-item *list*: 2.7 ms of CPU on the event loop, twice
# per message (bench_teams: 76 activities/s before, 226 after). A frozenset answers the same test.
ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)


def make_adapter(configuration: SimpleNamespace) -> CloudAdapter:
    """A ``CloudAdapter`` for the Azure Bot in ``configuration`` (``TeamsSettings.sdk_configuration()``,
    plus, in tests, ``TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`` to check tokens against local keys)."""
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(configuration))


class TeamsEndpoint:
    def __init__(self, bot: PolicyBot, adapter: CloudAdapter, app_id: str | None,
                 conversations: ConversationStore | None, retry: RetryPolicy = RetryPolicy()) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.retry = retry
        self.turns = Turns(bot, conversations, retry)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(ROUTE, self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        try:
            raw = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _bad_request("the body is not JSON")
        if reason := inbound.problem(raw):
            return _bad_request(reason)
        try:
            activity = Activity().deserialize(raw)
        except Exception as exc:  # msrest raises several kinds for a field of the wrong shape
            return _bad_request(f"not a Bot Framework activity ({type(exc).__name__})")

        authenticated = await self._authenticate(activity, request.headers.get("Authorization"))
        if authenticated is None:
            return web.json_response({"error": "unauthorized"}, status=401)

        seen = inbound.read(raw)
        result = await self.adapter.process_activity(authenticated, activity,
                                                     lambda context: self.turns.on_turn(context, seen))
        if isinstance(result, InvokeResponse):
            if result.body is None:
                return web.Response(status=result.status)
            return web.json_response(result.body, status=result.status)
        return web.Response(status=200)

    async def send_proactive(self, reference: dict[str, Any], text_or_card: Content) -> str | None:
        """Post into a stored conversation (``bot.store.conversations``) outside any turn."""
        return await send_proactive(self.adapter, self.app_id, reference, text_or_card, self.retry)

    async def _authenticate(self, activity: Activity, header: str | None) -> AuthenticateRequestResult | None:
        try:
            # None (not "") when absent: that is how the SDK tells "no header" from "bad header".
            check = self.adapter.bot_framework_authentication
            result: AuthenticateRequestResult = await check.authenticate_request(activity, header or None)
        except Exception as exc:  # PermissionError, jwt errors, an unreachable key endpoint...
            log.warning("rejected a Teams request: %s", _reason(exc))
            return None
        return result


def _bad_request(reason: str) -> web.Response:
    log.info("rejected a Teams request: %s", reason)
    return web.json_response({"error": reason}, status=400)


def _reason(exc: Exception) -> str:
    # First line only, and never the token itself.
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200]
