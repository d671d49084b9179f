"""The Teams endpoint end to end: Teams-shaped activities over HTTP to the real aiohttp server and
the real botbuilder SDK, replies caught by a fake Bot Connector on 127.0.0.1 (development mode:
no tokens). Every card the connector receives is checked against the official schema."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
import requests

from adapters.serve import build_app
from adapters.teams.endpoint import ROUTE, TeamsEndpoint, make_adapter
from adapters.teams.sending import RetryPolicy
from bot import messages
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.models import Channel, Verdict
from bot.service import PolicyBot
from bot.store import SqlConversationStore, SqlFeedbackLog, SqlUnansweredLog, create_schema, make_engine
from fake_connector import FakeConnector, LoopThread, Teams

FRIEND_REQUEST = "can I accept a friend request from a pupil's mum on facebook?"
HUXLEY_4_6 = "“You must not accept students or their parents /carers as friends"
ANNUAL_LEAVE = "how many days annual leave do i get"
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)
DEV = SimpleNamespace(APP_ID=None, APP_PASSWORD=None, APP_TYPE="MultiTenant", APP_TENANTID=None)


@dataclass
class World:
    """One policybot server (bot, store, Teams endpoint) and the Teams side talking to it."""

    connector: FakeConnector
    teams: Teams
    server: LoopThread
    endpoint: TeamsEndpoint
    bot: PolicyBot
    conversations: SqlConversationStore

    def post(self, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return requests.post(self.server.url + ROUTE, data=data, timeout=30,
                             headers={"Content-Type": "application/json", **(headers or {})})

    def ask(self, activity: dict[str, Any]) -> Any:
        """Post an activity that expects one reply; that reply."""
        before = len(self.connector.delivered())
        assert self.post(activity).status_code == 200
        return self.connector.wait_for(before + 1)[before]


def start_world(connector: FakeConnector, knowledge: KnowledgeBase, db_url: str,
                configuration: SimpleNamespace = DEV) -> World:
    engine = make_engine(db_url)
    create_schema(engine)
    bot = PolicyBot(knowledge, SqlUnansweredLog(engine), feedback=SqlFeedbackLog(engine))
    conversations = SqlConversationStore(engine)
    adapter = make_adapter(configuration)
    endpoint = TeamsEndpoint(bot, adapter, configuration.APP_ID, conversations, FAST_RETRY)
    app = build_app(bot)
    endpoint.add_routes(app)
    return World(connector, Teams(connector.url), LoopThread(app).start(), endpoint, bot, conversations)


@pytest.fixture(scope="module")
def connector() -> Iterator[FakeConnector]:
    fake = FakeConnector().start()
    yield fake
    fake.stop()


@pytest.fixture
def world(connector: FakeConnector, knowledge: KnowledgeBase, db_url: str) -> Iterator[World]:
    connector.clear()
    running = start_world(connector, knowledge, db_url)
    yield running
    running.server.stop()
    assert connector.invalid_cards == [], "the bot sent cards the official schema rejects"


def known(world: World, conversation: dict[str, Any]) -> None:
    """Install the bot in a conversation first, so the greeting is out of the way."""
    assert world.post(world.teams.installed(conversation)).status_code == 200
    world.connector.clear()


# --- asking -------------------------------------------------------------------------------------


def test_a_personal_chat_question_is_greeted_once_then_answered_with_the_card(world: World) -> None:
    message = world.teams.message(FRIEND_REQUEST)
    assert world.post(message).status_code == 200

    greeting, reply = world.connector.wait_for(2)
    assert greeting.text == messages.greeting("Huxley CE Primary School")
    [card] = reply.cards
    assert any(HUXLEY_4_6 in run["text"] for block in card["body"] for item in block.get("items", [])
               for run in item.get("inlines", []))
    for posted in (greeting, reply):
        assert posted.conversation_id == "a:1personal-chat-with-sam"
        assert posted.reply_to_id == message["id"]
        assert posted.authorization is None  # development mode: no token fetched, none sent
        assert posted.activity["recipient"]["id"] == world.teams.user["id"]
    second = world.ask(world.teams.message("can i use my phone in the classroom"))
    assert second.cards and second.text is None  # no second greeting


def test_a_channel_mention_is_answered_in_its_thread_without_the_mention(world: World) -> None:
    thread = world.teams.channel()
    known(world, thread)
    reply = world.ask(world.teams.message(FRIEND_REQUEST, thread, mention=True))

    assert reply.conversation_id == "19:general@thread.tacv2;messageid=1700000000123"  # exactly as received
    assert reply.path == ("/v3/conversations/19%3Ageneral%40thread.tacv2%3Bmessageid%3D1700000000123"
                          "/activities/1700000000123")
    [card] = reply.cards
    assert card["body"][0]["inlines"][0]["text"] == messages.you_asked(FRIEND_REQUEST)


def test_a_question_with_markup_comes_back_as_plain_text(world: World) -> None:
    known(world, world.teams.personal())
    question = "<b>can I</b> **accept** a [friend request](https://evil.example) from a parent?"
    [card] = world.ask(world.teams.message(question)).cards
    assert card["body"][0] == {"type": "RichTextBlock", "inlines": [
        {"type": "TextRun", "text": messages.you_asked(question), "isSubtle": True}]}


@pytest.mark.parametrize(("text", "reply"), [
    ("", messages.no_question_hint()),
    ("x" * 2500, messages.question_too_long(2500)),
])
def test_an_empty_or_huge_question_gets_the_core_wording(world: World, text: str, reply: str) -> None:
    thread = world.teams.channel()
    known(world, thread)
    answered = world.ask(world.teams.message(text, thread, mention=True))
    assert (answered.text, answered.cards) == (reply, [])
    assert answered.activity["textFormat"] == "plain"


def test_an_abstention_is_logged_for_hr_and_says_so(world: World) -> None:
    known(world, world.teams.personal())
    [card] = world.ask(world.teams.message(ANNUAL_LEAVE)).cards

    runs = [block["inlines"][0]["text"] for block in card["body"] if block["type"] == "RichTextBlock"]
    assert runs[1:3] == [messages.not_found("Huxley CE Primary School"),
                         messages.passed_to_hr(anonymous=True)]
    [logged] = world.bot.unanswered.list()  # type: ignore[union-attr]
    assert (logged.school, logged.question, logged.channel, logged.asker) == (
        "huxley", ANNUAL_LEAVE, Channel.TEAMS, None)  # Huxley keeps askers anonymous


BUNDLED_TENANTS = [
    ("tenant-huxley", "Huxley CE Primary School"), ("tenant-hampshire", "Hampshire Maintained School"),
    ("tenant-herefordshire", "Herefordshire Pupil Referral Service"),
    ("tenant-st-elisabeths", "St Elisabeth's CE Primary School"),
    ("tenant-wakefield", "Wakefield Academy Trust"),
]


@pytest.mark.parametrize(("tenant", "school"), BUNDLED_TENANTS)
def test_each_bundled_tenant_is_answered_from_its_own_school(world: World, tenant: str, school: str) -> None:
    world.teams.tenant = tenant
    assert world.post(world.teams.message(FRIEND_REQUEST)).status_code == 200
    greeting, reply = world.connector.wait_for(2)
    assert greeting.text == messages.greeting(school)
    lead = reply.cards[0]["body"][1]["inlines"][0]["text"]
    assert lead in (messages.answered_lead(school), messages.not_found(school))


def test_a_contact_with_a_teams_id_is_mentioned_in_the_message_teams_receives(
        connector: FakeConnector, knowledge_copy: Path, db_url: str) -> None:
    school_yaml = knowledge_copy / "huxley" / "school.yaml"
    config = yaml.safe_load(school_yaml.read_text(encoding="utf-8"))
    # Every contact has a Teams id, so whoever the answer names is mentioned, whichever clause leads.
    for role, contact in config["contacts"].items():
        contact["teams_user_id"] = f"29:1{role}"
    school_yaml.write_text(yaml.safe_dump(config), encoding="utf-8")
    connector.clear()
    world = start_world(connector, load_knowledge(knowledge_copy), db_url)
    try:
        known(world, world.teams.personal())
        reply = world.ask(world.teams.message(FRIEND_REQUEST))
    finally:
        world.server.stop()
    named = next(c for c in config["contacts"].values() if f"<at>{c['name']}</at>" in reply.text)
    assert reply.text == f"If in doubt, ask <at>{named['name']}</at> ({named['email']})."
    assert [{"type": "mention", "text": f"<at>{named['name']}</at>",
             "mentioned": {"id": named["teams_user_id"], "name": named["name"]}}] == [
        {k: e[k] for k in ("type", "text", "mentioned")} for e in reply.activity["entities"]]
    assert len(reply.cards) == 1 and "msteams" not in reply.cards[0]
    assert connector.invalid_cards == []


# --- card buttons -------------------------------------------------------------------------------


@pytest.mark.parametrize("verdict", list(Verdict))
def test_each_card_button_is_recorded_through_the_core(world: World, verdict: Verdict) -> None:
    known(world, world.teams.personal())
    [card] = world.ask(world.teams.message(FRIEND_REQUEST)).cards
    [button] = [a for a in card["actions"] if a["data"]["verdict"] == verdict.value]

    thanks = world.ask(world.teams.submit(button["data"]))

    assert thanks.text == messages.feedback_thanks(verdict.value)
    [stored] = world.bot.feedback.list()  # type: ignore[union-attr]
    assert (stored.verdict, stored.question, stored.channel) == (verdict, FRIEND_REQUEST, Channel.TEAMS)
    assert stored.clause_ids == button["data"]["clauses"] and stored.clause_ids


@pytest.mark.parametrize("value", [
    {"policybot": "feedback", "verdict": "delete_everything", "question": "q", "clauses": []},
    {"policybot": "feedback", "verdict": "helpful"},
    {"msteams": {"type": "imBack"}, "anything": ["else"]},
    "just a string", [1, 2, 3], 0,
])
def test_an_unexpected_button_value_gets_a_polite_reply(world: World, value: object) -> None:
    known(world, world.teams.personal())
    reply = world.ask(world.teams.submit(value))
    assert reply.text == messages.unexpected_action()
    assert world.bot.feedback.list() == []  # type: ignore[union-attr]


def test_an_action_execute_invoke_gets_its_reply_in_the_http_response(world: World) -> None:
    known(world, world.teams.personal())
    data = {"policybot": "feedback", "verdict": "ask_hr", "question": ANNUAL_LEAVE, "clauses": []}
    invoke = world.teams.base("invoke", world.teams.personal(), name="adaptiveCard/action",
                              value={"action": {"type": "Action.Execute", "verb": "feedback", "data": data}})

    response = world.post(invoke)

    assert response.status_code == 200
    assert response.json() == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                               "value": messages.feedback_thanks("ask_hr")}
    assert [f.verdict for f in world.bot.feedback.list()] == [Verdict.ASK_HR]  # type: ignore[union-attr]
    assert world.connector.posted == []


# --- installation, stored references, proactive messages ----------------------------------------


def test_installation_stores_the_reference_and_greets_once(world: World, knowledge: KnowledgeBase,
                                                           db_url: str) -> None:
    thread = world.teams.channel()
    assert world.post(world.teams.installed(thread)).status_code == 200
    assert world.post(world.teams.members_added(thread)).status_code == 200  # Teams sends both

    [greeting] = world.connector.wait_for(1)
    assert greeting.text == messages.greeting("Huxley CE Primary School")
    [stored] = world.conversations.list()
    assert (stored.channel, stored.school, stored.conversation_id) == (
        Channel.TEAMS, "huxley", "19:general@thread.tacv2")  # the channel, for new posts later
    assert stored.reference == {
        "bot": {"id": world.teams.bot_id, "name": "policybot"}, "channelId": "msteams",
        "conversation": {"id": "19:general@thread.tacv2", "conversationType": "channel", "isGroup": True,
                         "tenantId": "tenant-huxley"},
        "locale": "en-GB", "serviceUrl": world.connector.url,
    }  # how to post there, and nothing about who installed it

    restarted = start_world(world.connector, knowledge, db_url)  # same database, fresh process memory
    try:
        reply = restarted.ask(restarted.teams.message(FRIEND_REQUEST, thread, mention=True))
        assert reply.cards and len(world.connector.delivered()) == 2  # answered, not greeted again
    finally:
        restarted.server.stop()


def test_removing_the_bot_forgets_the_conversation(world: World) -> None:
    known(world, world.teams.personal())
    assert world.conversations.list()
    assert world.post(world.teams.installed(action="remove")).status_code == 200
    assert world.conversations.list() == [] and world.connector.posted == []


@pytest.mark.parametrize("content", ["Reminder: the updated Social Media Policy is now on the staff drive.",
                                     {"type": "AdaptiveCard", "version": "1.5", "body": [
                                         {"type": "TextBlock", "text": "Policy update", "wrap": True}]}])
def test_a_proactive_message_reaches_a_stored_conversation(world: World,
                                                           content: str | dict[str, Any]) -> None:
    known(world, world.teams.channel())
    [stored] = world.conversations.list()

    new_id = world.server.run(world.endpoint.send_proactive(stored.reference, content))

    [posted] = world.connector.wait_for(1)
    assert new_id is not None and new_id.startswith("reply-")  # the id the connector gave it
    assert posted.conversation_id == "19:general@thread.tacv2"
    assert posted.reply_to_id and posted.reply_to_id != "1700000000123"  # a new activity id, as the SDK makes
    if isinstance(content, str):
        assert posted.text == content
    else:
        assert posted.cards == [content]


# --- what does not get an answer ----------------------------------------------------------------


def test_an_unknown_tenant_is_told_politely_and_the_operator_warned(world: World,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    world.teams.tenant = "tenant-nowhere"
    with caplog.at_level(logging.WARNING, logger="adapters.teams"):
        reply = world.ask(world.teams.message(FRIEND_REQUEST))

    assert reply.text == messages.not_set_up()
    assert any("tenant-nowhere" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert world.conversations.list() == [] and world.bot.unanswered.list() == []  # type: ignore[union-attr]


@pytest.mark.parametrize(("kind", "fields"), [
    ("typing", {}),
    ("messageReaction", {"reactionsAdded": [{"type": "like"}], "replyToId": "1700000000999"}),
    ("messageUpdate", {"text": "can I accept a friend request? (edited)",
                       "channelData": {"tenant": {"id": "tenant-huxley"}, "eventType": "editMessage"}}),
    ("messageDelete", {"channelData": {"tenant": {"id": "tenant-huxley"}, "eventType": "softDeleteMessage"}}),
    ("event", {"name": "application/vnd.microsoft.meetingStart"}),
    ("invoke", {"name": "composeExtension/query", "value": {}}),
])
def test_other_activities_are_ignored_quietly(world: World, caplog: pytest.LogCaptureFixture, kind: str,
                                              fields: dict[str, Any]) -> None:
    with caplog.at_level(logging.INFO):
        response = world.post(world.teams.base(kind, world.teams.personal(), **fields))
    assert response.status_code == 200 and response.content == b""
    assert world.connector.posted == [] and world.conversations.list() == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


MALFORMED: list[bytes | dict[str, Any]] = [
    b"{not json", b"\xff\xfe\x00garbage", b"", b"[]", b'"a string"', b"null", {},
    {"type": "message", "text": "hi"},
    {"type": "message", "channelId": "msteams", "serviceUrl": "not a url", "conversation": {"id": "a:1"}},
    {"type": "message", "channelId": "msteams", "serviceUrl": "http://127.0.0.1:9", "conversation": {}},
]


@pytest.mark.parametrize("body", MALFORMED + ["timestamp", "entities", "text"])
def test_a_malformed_activity_gets_a_400_and_the_server_keeps_serving(
        world: World, caplog: pytest.LogCaptureFixture, body: bytes | dict[str, Any] | str) -> None:
    if isinstance(body, str):  # a Teams message with one field of the wrong shape
        wrong = {"timestamp": "yesterday-ish", "entities": "mention", "text": ["hi"]}[body]
        body = world.teams.message(FRIEND_REQUEST) | {body: wrong}
    with caplog.at_level(logging.DEBUG):
        response = world.post(body)

    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert world.connector.posted == []
    assert world.ask(world.teams.message(FRIEND_REQUEST)).text  # still serving (and greeting)


def test_a_body_over_the_size_limit_is_refused(world: World) -> None:
    huge = world.teams.message("x" * (2 * 1024 * 1024))
    assert world.post(huge).status_code == 413
    assert world.connector.posted == [] and world.bot.unanswered.list() == []  # type: ignore[union-attr]


# --- the connector having a bad moment ----------------------------------------------------------


def test_a_busy_connector_is_retried_and_the_answer_delivered(world: World) -> None:
    known(world, world.teams.personal())
    world.connector.fail_next(429, times=2, retry_after="0")

    reply = world.ask(world.teams.message(FRIEND_REQUEST))

    assert [p.status for p in world.connector.posted] == [429, 429, 200]
    assert reply.cards and all(p.activity == reply.activity for p in world.connector.posted)


def test_a_failing_connector_gives_up_after_its_retries_but_hr_still_gets_the_question(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    known(world, world.teams.personal())
    world.connector.fail_next(503, times=10)

    with caplog.at_level(logging.WARNING):
        response = world.post(world.teams.message(ANNUAL_LEAVE))

    assert response.status_code == 200  # Teams must not redeliver: the question is handled
    assert [p.status for p in world.connector.posted] == [503] * FAST_RETRY.attempts
    assert [q.question for q in world.bot.unanswered.list()] == [ANNUAL_LEAVE]  # type: ignore[union-attr]
    assert any("could not deliver" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(("attempt", "retry_after", "pause"), [
    (1, None, 0.5), (2, None, 1.0), (3, None, 2.0), (4, None, 4.0), (6, None, 4.0),
    (1, "2", 2.0), (3, "0", 0.0), (1, "120", 4.0), (1, "-3", 0.0),
    (2, "Wed, 21 Oct 2015 07:28:00 GMT", 1.0),  # a date: the usual back-off instead
])
def test_the_back_off_doubles_and_honours_retry_after_up_to_a_cap(attempt: int, retry_after: str | None,
                                                                  pause: float) -> None:
    assert RetryPolicy().delay(attempt, retry_after) == pause


def test_a_refused_reply_is_not_retried(world: World) -> None:
    known(world, world.teams.personal())
    world.connector.fail_next(403)
    assert world.post(world.teams.message(FRIEND_REQUEST)).status_code == 200
    assert [p.status for p in world.connector.posted] == [403]


def test_the_fake_connector_really_rejects_an_invalid_card(world: World) -> None:
    """The schema check above every test can fail: a card the official schema rejects gets a 400."""
    known(world, world.teams.channel())
    [stored] = world.conversations.list()
    bad = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock"}]}  # no text
    with pytest.raises(Exception, match="BadArgument"):  # the 400 the connector gave
        world.server.run(world.endpoint.send_proactive(stored.reference, bad))
    assert world.connector.invalid_cards and [p.status for p in world.connector.posted] == [400]
    world.connector.invalid_cards.clear()
