"""What the bot does with each activity: answer, record a button press, greet, or stay quiet.

Translation only: the answer comes from ``PolicyBot``, the wording from ``bot.messages``, the
card from ``cards``. The core is synchronous (BM25 and a database write), so it runs in a worker
thread to keep the event loop (and every other conversation) moving.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ErrorResponseException, Mention
from msrest.exceptions import ClientRequestError

from adapters.teams import cards
from adapters.teams.inbound import Inbound, Kind, broadcast_id
from adapters.teams.sending import RetryPolicy, message, send
from bot import messages
from bot.answering import QuestionError
from bot.knowledge import School
from bot.models import Channel
from bot.service import PolicyBot
from bot.store import ConversationStore, StoreError

log = logging.getLogger(__name__)
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"  # Universal Actions: show this text


class Turns:
    def __init__(self, bot: PolicyBot, conversations: ConversationStore | None, retry: RetryPolicy) -> None:
        self.bot = bot
        self.conversations = conversations
        self.retry = retry
        # Conversations already stored by this process: no database round trip per message.
        self._known: set[str] = set()

    async def on_turn(self, context: TurnContext, inbound: Inbound) -> None:
        try:
            await self._turn(context, inbound)
        except (ErrorResponseException, ClientRequestError) as exc:
            # Retries are spent; the answer was computed and any HR log line written already.
            status = getattr(getattr(exc, "response", None), "status_code", type(exc).__name__)
            log.error("could not deliver a reply to Teams conversation %s: %s", inbound.conversation_id,
                      status)

    async def _turn(self, context: TurnContext, inbound: Inbound) -> None:
        if inbound.kind == Kind.IGNORED:
            if inbound.invoke:
                await _invoke_response(context, None)
            return
        school = self.bot.knowledge.for_teams_tenant(inbound.tenant_id) if inbound.tenant_id else None
        if school is None:
            log.warning("Teams tenant %s is not set up for any school (conversation %s)",
                        inbound.tenant_id or "(none)", inbound.conversation_id)
            if inbound.kind != Kind.UNINSTALLED:
                await self._say(context, inbound, messages.not_set_up())
            return
        if inbound.kind == Kind.UNINSTALLED:
            await self._forget(inbound)
            return
        if await self._remember(context, school):
            await send(context, message(messages.greeting(school.config.name)), self.retry)
        if inbound.kind == Kind.SUBMIT:
            await self._feedback(context, inbound, school)
        elif inbound.kind == Kind.QUESTION:
            await self._answer(context, inbound, school)

    async def _answer(self, context: TurnContext, inbound: Inbound, school: School) -> None:
        if not inbound.text:
            await self._say(context, inbound, messages.no_question_hint())
            return
        try:
            answer = await asyncio.to_thread(self.bot.ask, school.id, inbound.text, Channel.TEAMS,
                                             inbound.asker)
        except QuestionError as exc:
            await self._say(context, inbound, str(exc))
            return
        reply = message(cards.answer_card(answer, anonymous=not school.config.log_asker_identity))
        if mention := cards.contact_mention(answer.contact):
            reply.text, entity = mention
            reply.entities = [Mention.deserialize(entity)]
        await send(context, reply, self.retry)

    async def _feedback(self, context: TurnContext, inbound: Inbound, school: School) -> None:
        pressed = cards.read_feedback(inbound.value)
        if pressed is None:
            log.info("unexpected card action in Teams conversation %s", inbound.conversation_id)
            await self._say(context, inbound, messages.unexpected_action())
            return
        stored = await asyncio.to_thread(self.bot.record_feedback, school.id, pressed.question,
                                         pressed.verdict, Channel.TEAMS, pressed.clause_ids, inbound.asker)
        reply = messages.feedback_thanks(pressed.verdict.value) if stored else messages.feedback_not_stored()
        await self._say(context, inbound, reply)

    async def _say(self, context: TurnContext, inbound: Inbound, text: str) -> None:
        if inbound.invoke:  # Action.Execute: the reply travels in the HTTP response
            await _invoke_response(context, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text})
        else:
            await send(context, message(text), self.retry)

    async def _remember(self, context: TurnContext, school: School) -> bool:
        """Store how to reach this conversation; True the first time (so the bot greets once)."""
        conversation_id = broadcast_id(context.activity.conversation.id)
        if self.conversations is None or conversation_id in self._known:
            return False
        reference = _reference(context.activity, conversation_id, school.config.teams_tenant_id)
        try:
            new = await asyncio.to_thread(self.conversations.remember, Channel.TEAMS, school.id,
                                          conversation_id, reference)
        except StoreError as exc:
            log.error("could not store Teams conversation %s for %s: %s", conversation_id, school.id, exc)
            return False
        self._known.add(conversation_id)
        return new

    async def _forget(self, inbound: Inbound) -> None:
        conversation_id = broadcast_id(inbound.conversation_id)
        self._known.discard(conversation_id)
        if self.conversations is None:
            return
        try:
            await asyncio.to_thread(self.conversations.forget, Channel.TEAMS, conversation_id)
        except StoreError as exc:
            log.error("could not forget Teams conversation %s: %s", conversation_id, exc)


def _reference(activity: Activity, conversation_id: str, tenant_id: str | None) -> dict[str, Any]:
    """How to post here later: channel, service URL, conversation and bot; never who spoke."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    reference.user = None
    reference.conversation.id = conversation_id
    serialised: dict[str, Any] = reference.serialize()
    # botbuilder 4.17 maps tenant_id to "tenantID" and so drops Teams' "tenantId": keep it here.
    serialised["conversation"]["tenantId"] = tenant_id
    return serialised


async def _invoke_response(context: TurnContext, body: dict[str, Any] | None) -> None:
    await context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                         value=InvokeResponse(status=200, body=body)))
