"""What the bot does with each Slack event, slash command and button click: translate, ask, reply.

A direct message is answered in the DM, a mention in a thread under it, ``/policy`` privately.
The core runs on one worker thread (``_in_core``): it reads and writes the database, and the
event loop must stay free to acknowledge Slack within three seconds.
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import answer_message, notice
from adapters.slack.feedback import ACTION_PREFIX, Asked, LongQuestions, button_value, decode, verdict_of
from adapters.slack.mrkdwn import plain_text
from adapters.slack.replies import Send, in_conversation, privately
from adapters.slack.retries import SeenEvents
from bot import messages
from bot.answering import QuestionError
from bot.knowledge import School
from bot.models import Answer, Channel, Verdict
from bot.service import PolicyBot
from bot.store import StoreError

log = logging.getLogger(__name__)
T = TypeVar("T")
_ANY = re.compile(".*")


class SlackListeners:
    def __init__(self, bot: PolicyBot, kept: LongQuestions) -> None:
        self.bot = bot
        self.kept = kept
        self.seen = SeenEvents()
        self._core = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policybot-core")

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.once_per_event)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.event(_ANY)(self.ignore)  # anything else Slack sends: acknowledged, not a 404
        app.command(_ANY)(self.on_command)
        app.action(re.compile(f"^{ACTION_PREFIX}"))(self.on_feedback)
        app.action(_ANY)(self.on_unknown_action)

    async def close(self, _app: object = None) -> None:
        """Stop the core's worker thread (an aiohttp clean-up hook)."""
        self._core.shutdown(wait=False, cancel_futures=True)

    async def once_per_event(self, body: dict[str, Any], request: AsyncBoltRequest,
                             next_: Callable[[], Any]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not self.seen.first_time(event_id):
            retry = request.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("Slack delivered event %s again (retry %s): already handled", event_id, retry)
            return BoltResponse(status=200, body="")
        return await next_()

    async def on_message(self, event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient) -> None:
        if event.get("channel_type") != "im" or not _is_question(event):
            return
        send = in_conversation(client, event["channel"], event.get("thread_ts"))
        question = plain_text(event["text"], context.bot_user_id)
        await self._answer(context.team_id, event["user"], question, send, privately=False)

    async def on_mention(self, event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient) -> None:
        if not _is_question(event):
            return
        send = in_conversation(client, event["channel"], event.get("thread_ts") or event.get("ts"))
        question = plain_text(event["text"], context.bot_user_id)
        await self._answer(context.team_id, event["user"], question, send, privately=False)

    async def on_command(self, ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        if send := _private(command):
            question = plain_text(str(command.get("text") or ""))
            await self._answer(context.team_id, context.user_id, question, send, privately=True)

    async def on_feedback(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                          context: AsyncBoltContext) -> None:
        await ack()
        if not (send := _private(body)):
            return
        school = self._school(context.team_id)
        if school is None:
            await send(notice(messages.not_set_up()))
            return
        verdict = verdict_of(str(action.get("action_id")))
        asked = decode(str(action.get("value") or ""))
        if verdict is None or asked is None or asked.school != school.id:
            await send(notice(messages.unexpected_action()))
            return
        stored = await self._in_core(self._record, asked, verdict, context.user_id)
        await send(notice(messages.feedback_thanks(verdict.value) if stored else messages.feedback_not_stored()))

    async def on_unknown_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        if send := _private(body):
            await send(notice(messages.unexpected_action()))

    async def ignore(self) -> None:
        """Events nobody asked for (joins, app home...): acknowledged quietly."""

    async def _answer(self, team_id: str | None, user_id: str | None, question: str, send: Send,
                      *, privately: bool) -> None:
        school = self._school(team_id)
        if school is None:
            await send(notice(messages.not_set_up()))
            return
        if not question:
            await send(notice(messages.no_question_hint()))
            return
        try:
            answer, value = await self._in_core(self._ask, school, question, user_id)
        except QuestionError as exc:
            await send(notice(str(exc)))
            return
        anonymous = not (school.config.log_asker_identity and user_id)
        await send(answer_message(answer, value, anonymous=anonymous, echo_question=privately))

    def _school(self, team_id: str | None) -> School | None:
        school = self.bot.knowledge.for_slack_team(team_id) if team_id else None
        if school is None:
            log.warning("Slack workspace %s is not claimed by any school (slack_team_id in school.yaml)", team_id)
        return school

    def _ask(self, school: School, question: str, asker: str | None) -> tuple[Answer, str]:
        answer = self.bot.ask(school.id, question, Channel.SLACK, asker=asker)
        clause_ids = [q.clause.id for q in answer.clauses]
        return answer, button_value(school.id, answer.question, clause_ids, self.kept)

    def _record(self, asked: Asked, verdict: Verdict, asker: str | None) -> bool:
        try:
            question = asked.question or (self.kept.find(asked.ref) if asked.ref else None)
        except StoreError as exc:
            log.error("could not read a long question back for feedback: %s", exc)
            return False
        if question is None:
            log.warning("feedback on a long question that is no longer kept (%s)", asked.ref)
            return False
        return self.bot.record_feedback(asked.school, question, verdict, Channel.SLACK, asked.clause_ids, asker)

    async def _in_core(self, func: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._core, partial(func, *args))


def _is_question(event: dict[str, Any]) -> bool:
    """A person's new message with words in it: not a bot's, an edit, a deletion, a join or a bare file."""
    return (
        event.get("subtype") in (None, "file_share")
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
        and isinstance(event.get("channel"), str)
        and isinstance(event.get("text"), str)
        and bool(event["text"].strip())
    )


def _private(payload: dict[str, Any]) -> Send | None:
    url = payload.get("response_url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return privately(url)
    log.warning("a Slack %s came without a response_url: no reply possible", payload.get("type") or "command")
    return None
