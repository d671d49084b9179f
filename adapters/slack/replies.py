"""Sending a reply: into a conversation (``chat.postMessage``) or privately through a ``response_url``.

The Web API client and the webhook client retry 429 and 5xx with back-off (``web_api_retries``);
when Slack still refuses, the failure is logged (never the token or the response URL) and the
reply is dropped: the question itself was already logged for HR by the core when unanswered.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import Message
from adapters.slack.retries import SERVER_ERROR_PAUSES, web_api_retries

log = logging.getLogger(__name__)

Send = Callable[[Message], Awaitable[bool]]
_NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


def in_conversation(client: AsyncWebClient, channel: str, thread_ts: str | None) -> Send:
    """Replies where the question was asked; in the thread ``thread_ts`` when given."""

    async def send(message: Message) -> bool:
        try:
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False,
                                          unfurl_media=False, **message)
        except SlackApiError as exc:
            return _failed("chat.postMessage", exc.response.get("error") or f"HTTP {exc.response.status_code}")
        except _NETWORK_ERRORS as exc:
            return _failed("chat.postMessage", type(exc).__name__)
        return True

    return send


def privately(response_url: str) -> Send:
    """Replies visible only to the person who typed the command or clicked the button."""

    async def send(message: Message) -> bool:
        client = AsyncWebhookClient(response_url, retry_handlers=web_api_retries())
        body = {"response_type": "ephemeral", "replace_original": False, **message}
        try:
            # The webhook client consults its retry handlers on 429 and network errors only: 5xx here.
            for pause in (*SERVER_ERROR_PAUSES, None):
                response = await client.send_dict(body)
                if response.status_code < 500 or pause is None:
                    break
                await asyncio.sleep(pause)
        except _NETWORK_ERRORS as exc:
            return _failed("response_url", type(exc).__name__)
        if response.status_code != 200:
            return _failed("response_url", f"HTTP {response.status_code} {response.body[:100]!r}")
        return True

    return send


def _failed(method: str, reason: str) -> bool:
    log.error("could not reply in Slack (%s): %s", method, reason)
    return False
