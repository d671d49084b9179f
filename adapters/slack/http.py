"""The HTTP side: ``/slack/events`` (events, slash commands, buttons) and the OAuth install pages.

Two checks come before Bolt, whose own would answer bad input with a 500: a missing, forged or
stale signature gets 401, and a body or ``payload`` that is not what Slack sends gets 400.
Neither reaches a listener, so neither is ever logged as a question.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class BadBody(ValueError):
    """The request is signed but is not something Slack sends; the message says what is wrong."""


class SlackRoutes:
    def __init__(self, bolt: AsyncApp, signing_secret: str) -> None:
        self._bolt = bolt
        self._verifier = SignatureVerifier(signing_secret)

    async def events(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="bad request: the body is not UTF-8")
        if not self._signed(text, request.headers.get("X-Slack-Request-Timestamp", ""),
                            request.headers.get("X-Slack-Signature", "")):
            log.info("refused a request to /slack/events: missing, forged or stale signature")
            return web.Response(status=401, text="invalid signature")
        header = request.headers.get("Content-Type")
        try:
            body = read_body(text, header.split(";")[0] if header else None)
        except BadBody as exc:
            log.info("refused a signed request to /slack/events: %s", exc)
            return web.Response(status=400, text=f"bad request: {exc}")
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers)  # type: ignore[arg-type]
        if bolt_request.body != body:
            # Bolt reads any form containing the word "payload" as an interaction: "/policy what
            # is the payload" would arrive empty. Give it the body as it really is.
            bolt_request.body = body
            bolt_request.context = build_async_context(AsyncBoltContext(), body)
        return await to_aiohttp_response(await self._bolt.async_dispatch(bolt_request))

    async def install(self, request: web.Request) -> web.Response:
        return await self._oauth(request, "handle_installation")

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        return await self._oauth(request, "handle_callback")

    async def _oauth(self, request: web.Request, step: str) -> web.Response:
        flow = self._bolt.oauth_flow
        assert flow is not None, "OAuth routes are only mounted with OAuth settings"
        handle: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]] = getattr(flow, step)
        return await to_aiohttp_response(await handle(await to_bolt_request(request)))

    def _signed(self, body: str, timestamp: str, signature: str) -> bool:
        # SignatureVerifier raises on an empty or non-numeric timestamp: check it first.
        return bool(_TIMESTAMP.fullmatch(timestamp) and signature
                    and self._verifier.is_valid(body, timestamp, signature))


def read_body(text: str, content_type: str | None) -> dict[str, Any]:
    """The request as Slack sends it: a JSON event, a form with a JSON ``payload``, or a slash command.

    Detection follows Bolt's own (JSON by content type or a leading brace), so both agree.
    """
    if content_type == "application/json" or text.startswith("{"):
        data = _json_object(text, "body")
        event = data.get("event")
        if data["type"] == "event_callback" and not (isinstance(event, dict) and isinstance(event.get("type"), str)):
            raise BadBody("an event_callback without an event type")
        return data
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        data = _json_object(form["payload"], "payload")
        actions = data.get("actions")
        if data["type"] == "block_actions" and not (
            isinstance(actions, list) and actions and all(isinstance(a, dict) for a in actions)
        ):
            raise BadBody("block_actions without actions")
        return data
    if "command" in form or "ssl_check" in form:
        return form
    raise BadBody("expected a JSON event, a payload field or a slash command")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadBody(f"the {what} is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadBody(f"the {what} is not a JSON object with a type")
    return data
