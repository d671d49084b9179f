"""Getting replies to the Bot Connector: retried with back-off when it is busy, and proactive sends.

The connector answers 429 when a bot sends too fast and 5xx when it has a bad moment; both are
worth another try after a pause (``Retry-After`` when it gives one). Anything else (400, 403:
the bot was removed) will not get better by trying again.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.bot_adapter import BotAdapter
from botbuilder.schema import Activity, ConversationReference, ErrorResponseException, ResourceResponse

log = logging.getLogger(__name__)
Content = str | dict[str, Any]  # plain text, or one Adaptive Card


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # 1 try + 3 retries: about 3.5 s of waiting at the defaults
    base_delay: float = 0.5  # seconds; doubles after each failure
    max_delay: float = 4.0  # also caps a Retry-After, so a reply never waits past Teams' patience
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def delay(self, attempt: int, retry_after: str | None) -> float:
        try:
            wanted = float(retry_after) if retry_after else None
        except ValueError:  # an HTTP date: not worth parsing for a pause this short
            wanted = None
        backoff = self.base_delay * 2 ** (attempt - 1)
        return max(0.0, min(self.max_delay, wanted if wanted is not None else backoff))


def is_retryable(status: int) -> bool:
    return status == 429 or status >= 500


def message(text_or_card: Content) -> Activity:
    """A plain-text message, or a message carrying one Adaptive Card."""
    if isinstance(text_or_card, str):
        reply = MessageFactory.text(text_or_card)
        reply.text_format = "plain"  # our wording is not Markdown; never let Teams reformat it
        return reply
    return MessageFactory.attachment(CardFactory.adaptive_card(text_or_card))


async def send(context: TurnContext, activity: Activity, policy: RetryPolicy) -> ResourceResponse | None:
    """Send one activity, retrying 429 and 5xx; the last failure is raised."""
    for attempt in range(1, policy.attempts + 1):
        try:
            return await context.send_activity(activity)
        except ErrorResponseException as exc:
            status = exc.response.status_code
            if not is_retryable(status) or attempt == policy.attempts:
                raise
            pause = policy.delay(attempt, exc.response.headers.get("Retry-After"))
            log.warning("Bot Connector answered %s; retrying in %.2f s (attempt %d of %d)",
                        status, pause, attempt + 1, policy.attempts)
            await policy.sleep(pause)
    return None  # attempts < 1: nothing was sent


async def send_proactive(adapter: BotAdapter, app_id: str | None, reference: dict[str, Any],
                         text_or_card: Content, policy: RetryPolicy = RetryPolicy()) -> str | None:
    """Post into a stored conversation outside any turn; the new activity's id, if the connector gave one."""
    sent: list[ResourceResponse | None] = []

    async def deliver(context: TurnContext) -> None:
        sent.append(await send(context, message(text_or_card), policy))

    await adapter.continue_conversation(ConversationReference().deserialize(reference), deliver,
                                        bot_app_id=app_id)
    return sent[0].id if sent and sent[0] else None
