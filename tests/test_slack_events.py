"""The Slack adapter end to end over HTTP: real slack-bolt and slack-sdk, policybot's real aiohttp app
on a free local port, signed requests, and a fake Slack Web API that records every reply.

Negative checks ("nothing was sent") end with a sentinel question whose answer must be the only
message: the ignored requests had every chance to produce one first.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import pytest
from fake_slack import engine  # noqa: F401 - a fixture
from fake_slack import (
    ASKER,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    Call,
    Harness,
    LoopThread,
    click,
    command,
    dm,
    event_callback,
    mention,
    settings_for,
    signed,
    slack_rules,
)
from sqlalchemy import Engine

from bot import messages
from bot.knowledge import KnowledgeBase
from bot.models import Channel, Verdict
from bot.service import PolicyBot
from bot.store import SqlFeedbackLog, SqlUnansweredLog

FRIEND = "can I accept a friend request from a pupil's mum on facebook?"
HUXLEY_46 = "You must not accept students or their parents /carers as friends"
CITATION_46 = "Social Media Policy · 4.6 · Personal use of social media"
NONSENSE = "qzxwvkj pfthrrbl zzyzxq gwkrtx?"


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()



@pytest.fixture
def bot(knowledge: KnowledgeBase, engine: Engine) -> PolicyBot:
    return PolicyBot(knowledge, SqlUnansweredLog(engine), feedback=SqlFeedbackLog(engine))


@pytest.fixture
def slack(loop: LoopThread, bot: PolicyBot, engine: Engine) -> Iterator[Harness]:
    harness = Harness.start(loop, bot, settings_for, engine=engine)
    assert harness.mounted.up, harness.mounted
    yield harness
    harness.stop()


def text_of(call: Call) -> str:
    """Everything a reader sees in a recorded message, after checking it obeys Slack's rules."""
    assert slack_rules(call.args) == [], call.args
    parts = [call.args["text"]]
    for block in call.args.get("blocks") or []:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts.extend(e["text"] for e in block["elements"])
    return "\n".join(parts)


def button_values(call: Call) -> dict[str, str]:
    [actions] = [b for b in call.args["blocks"] if b["type"] == "actions"]
    return {e["action_id"]: e["value"] for e in actions["elements"]}


def only_message(slack: Harness, sentinel: dict | None = None) -> Call:
    """Send a sentinel DM and return the one message there is: the sentinel's answer."""
    status, _ = slack.event(event_callback(sentinel or dm(FRIEND)))
    assert status == 200
    [call] = slack.fake.wait_for("chat.postMessage")
    time.sleep(0.2)
    assert slack.fake.messages() == [call], slack.fake.messages()
    return call


# --- the three ways of asking ---------------------------------------------------------------------


def test_a_direct_message_is_acknowledged_at_once_and_answered_in_the_dm(slack: Harness, engine: Engine) -> None:
    started = time.monotonic()
    status, body = slack.event(event_callback(dm(FRIEND)))
    assert (status, body) == (200, "")
    assert time.monotonic() - started < 3
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "D0ASKER" and "thread_ts" not in call.args
    assert call.token == BOT_TOKEN
    shown = text_of(call)
    assert HUXLEY_46 in shown and CITATION_46 in shown
    assert messages.answered_lead("Huxley CE Primary School") in shown
    assert SqlUnansweredLog(engine).list() == []


def test_a_mention_in_a_channel_is_answered_in_a_thread_under_the_question(slack: Harness) -> None:
    assert slack.event(event_callback(mention(FRIEND)))[0] == 200
    [call] = slack.fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "C0STAFF" and call.args["thread_ts"] == "1700000200.000200"
    assert HUXLEY_46 in text_of(call)

    assert slack.event(event_callback(mention(FRIEND, ts="1700000999.1", thread_ts="1700000500.5")))[0] == 200
    assert slack.fake.wait_for("chat.postMessage", 2)[1].args["thread_ts"] == "1700000500.5"


def test_a_slash_command_is_acknowledged_then_answered_privately(slack: Harness) -> None:
    started = time.monotonic()
    assert slack.form(command("can I post photos from sports day?", slack.fake.response_url())) == (200, "")
    assert time.monotonic() - started < 3
    [call] = slack.fake.wait_for("response_url")
    assert call.args["response_type"] == "ephemeral" and call.args["replace_original"] is False
    shown = text_of(call)
    assert messages.you_asked("can I post photos from sports day?") in shown
    assert "Social Media Policy ·" in shown
    assert [c.method for c in slack.fake.messages()] == ["response_url"]


def test_a_slash_command_whose_question_says_payload_is_still_read(slack: Harness) -> None:
    slack.form(command("can the payload of a post name a pupil?", slack.fake.response_url()))
    [call] = slack.fake.wait_for("response_url")
    assert messages.you_asked("can the payload of a post name a pupil?") in text_of(call)


def test_an_empty_question_gets_the_hint(slack: Harness) -> None:
    slack.form(command("   ", slack.fake.response_url()))
    [call] = slack.fake.wait_for("response_url")
    assert text_of(call).startswith(messages.no_question_hint())
    slack.event(event_callback(mention("")))
    [threaded] = slack.fake.wait_for("chat.postMessage")
    assert threaded.args["thread_ts"] == "1700000200.000200"
    assert text_of(threaded).startswith(messages.no_question_hint())


def test_an_unanswerable_question_is_logged_for_hr_anonymously(slack: Harness, engine: Engine) -> None:
    slack.event(event_callback(dm(NONSENSE)))
    shown = text_of(slack.fake.wait_for("chat.postMessage")[0])
    assert messages.not_found("Huxley CE Primary School") in shown
    assert messages.passed_to_hr(anonymous=True) in shown
    assert "If in doubt, ask HR (hr@huxley.example.org)." in shown
    [entry] = SqlUnansweredLog(engine).list()
    assert (entry.question, entry.channel, entry.asker, entry.school) == (NONSENSE, Channel.SLACK, None, "huxley")


def test_a_question_over_the_length_limit_is_refused_politely_and_not_logged(slack: Harness, engine: Engine) -> None:
    slack.event(event_callback(dm("why " * 1200)))
    shown = text_of(slack.fake.wait_for("chat.postMessage")[0])
    assert shown.startswith(messages.question_too_long(len(("why " * 1200).strip())))
    assert SqlUnansweredLog(engine).list() == []


def test_broadcasts_and_mentions_in_a_question_ping_nobody(slack: Harness) -> None:
    nasty = "<!channel> <!here> <!everyone> <@U0OTHER> can I post photos from sports day?"
    slack.event(event_callback(dm(nasty)))
    slack.form(command(nasty, slack.fake.response_url()))
    for call in (slack.fake.wait_for("chat.postMessage")[0], slack.fake.wait_for("response_url")[0]):
        assert slack_rules(call.args) == []  # no <!...> or <@...> anywhere in what was sent
    echoed = text_of(slack.fake.wait_for("response_url")[0])
    assert messages.you_asked("@channel @here @everyone can I post photos from sports day?") in echoed


# --- buttons ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("verdict", list(Verdict))
def test_each_button_records_the_verdict_with_the_question_and_clauses(slack: Harness, engine: Engine,
                                                                        verdict: Verdict) -> None:
    slack.form(command(FRIEND, slack.fake.response_url("answer")))
    [answer] = slack.fake.wait_for("response_url")
    value = button_values(answer)[f"feedback_{verdict.value}"]
    assert slack.form(click(f"feedback_{verdict.value}", value, slack.fake.response_url("thanks"))) == (200, "")
    thanks = slack.fake.wait_for("response_url", 2)[1]
    assert thanks.path == "/response/thanks"
    assert text_of(thanks).startswith(messages.feedback_thanks(verdict.value))
    [stored] = SqlFeedbackLog(engine).list()
    assert (stored.school, stored.question, stored.verdict, stored.channel) == ("huxley", FRIEND, verdict, Channel.SLACK)
    assert stored.asker is None  # Huxley keeps feedback anonymous
    assert stored.clause_ids and json.loads(value)["c"] == stored.clause_ids


def test_feedback_on_a_question_too_long_for_a_button_keeps_the_whole_question(slack: Harness,
                                                                                  engine: Engine) -> None:
    question = ("can I accept a friend request from a pupil's \"mum\" on facebook " * 40)[:1990].strip()
    slack.event(event_callback(dm(question)))
    [answer] = slack.fake.wait_for("chat.postMessage")
    value = button_values(answer)["feedback_ask_hr"]
    assert len(value) <= 2000 and "r" in json.loads(value)
    slack.form(click("feedback_ask_hr", value, slack.fake.response_url()))
    assert text_of(slack.fake.wait_for("response_url")[0]).startswith(messages.feedback_thanks("ask_hr"))
    [stored] = SqlFeedbackLog(engine).list()
    assert stored.question == question and stored.verdict is Verdict.ASK_HR


@pytest.mark.parametrize(("action", "value"), [
    ("feedback_helpful", "not json"),
    ("feedback_helpful", json.dumps({"s": "hampshire", "c": [], "q": "from another school"})),
    ("feedback_maybe", json.dumps({"s": "huxley", "c": [], "q": "an unknown verdict"})),
    ("some_old_button", "anything"),
])
def test_a_button_that_is_not_ours_gets_a_polite_reply_and_stores_nothing(slack: Harness, engine: Engine,
                                                                           action: str, value: str) -> None:
    assert slack.form(click(action, value, slack.fake.response_url())) == (200, "")
    assert text_of(slack.fake.wait_for("response_url")[0]).startswith(messages.unexpected_action())
    assert SqlFeedbackLog(engine).list() == []


# --- workspaces ---------------------------------------------------------------------------------------


def test_a_workspace_no_school_claims_gets_not_set_up_and_a_warning(slack: Harness, engine: Engine,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    slack.event(event_callback(dm(NONSENSE), team="TNOBODY"))
    slack.form(command(FRIEND, slack.fake.response_url(), team="TNOBODY"))
    assert text_of(slack.fake.wait_for("chat.postMessage")[0]).startswith(messages.not_set_up())
    assert text_of(slack.fake.wait_for("response_url")[0]).startswith(messages.not_set_up())
    assert any("TNOBODY" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert SqlUnansweredLog(engine).list() == []


def test_each_workspace_is_answered_from_its_own_school(slack: Harness) -> None:
    slack.event(event_callback(dm(FRIEND), team="THAMPSHIRE"))
    shown = text_of(slack.fake.wait_for("chat.postMessage")[0])
    assert "Hampshire" in shown and HUXLEY_46 not in shown


# --- what is ignored --------------------------------------------------------------------------------


@pytest.mark.parametrize("event", [
    dm("I am a bot", bot_id="B0OTHER", subtype="bot_message"),
    dm("my own answer", user=BOT_USER, bot_id=BOT_ID),
    dm("edited", subtype="message_changed"),
    dm("", subtype="message_deleted"),
    dm("<@UASKER> has joined the channel", subtype="channel_join"),
    dm("", subtype="file_share", files=[{"id": "F1"}]),
    dm("   "),
    dm(FRIEND, channel_type="channel", channel="C0STAFF"),
    mention(FRIEND, bot_id="B0OTHER"),
    {"type": "app_home_opened", "user": ASKER, "channel": "D0ASKER", "tab": "home"},
    {"type": "reaction_added", "user": ASKER, "reaction": "thumbsup", "item": {"type": "message"}},
], ids=["other-bot", "itself", "edit", "deletion", "join", "bare-file", "blank", "channel-message",
        "bot-mention", "app-home", "reaction"])
def test_events_that_are_not_questions_are_acknowledged_and_ignored(slack: Harness, event: dict) -> None:
    assert slack.event(event_callback(event)) == (200, "")
    time.sleep(0.1)
    only_message(slack)


def test_a_file_shared_with_a_question_is_answered(slack: Harness) -> None:
    slack.event(event_callback(dm(FRIEND, subtype="file_share", files=[{"id": "F1"}])))
    assert HUXLEY_46 in text_of(slack.fake.wait_for("chat.postMessage")[0])


# --- retries ------------------------------------------------------------------------------------------


def test_a_retried_event_is_answered_and_logged_once(slack: Harness, engine: Engine) -> None:
    body = event_callback(dm(NONSENSE), event_id="Ev0RETRIED")
    assert slack.event(body) == (200, "")
    for n in (1, 2):
        assert slack.event(body, {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}) == (200, "")
    slack.event(event_callback(dm(FRIEND)))  # a sentinel: its answer must be the second and last
    calls = slack.fake.wait_for("chat.postMessage", 2)
    time.sleep(0.2)
    assert len(slack.fake.messages()) == 2 and HUXLEY_46 in text_of(calls[1])
    assert messages.not_found("Huxley CE Primary School") in text_of(calls[0])
    assert len(SqlUnansweredLog(engine).list()) == 1


def test_only_the_first_delivery_of_an_event_id_is_answered(slack: Harness) -> None:
    slack.event(event_callback(dm(FRIEND), event_id="Ev0FIRST"), {"X-Slack-Retry-Num": "1"})
    [first] = slack.fake.wait_for("chat.postMessage")
    assert HUXLEY_46 in text_of(first)  # a retry whose original never arrived is still answered
    slack.event(event_callback(dm(FRIEND), event_id="Ev0FIRST"))
    time.sleep(0.3)
    assert len(slack.fake.messages()) == 1


# --- bad input --------------------------------------------------------------------------------------


def _tamper(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "X-Slack-Signature": headers["X-Slack-Signature"][:-4] + "0000"}


GOOD = json.dumps(event_callback(dm(NONSENSE)))


@pytest.mark.parametrize("headers", [
    {},
    {"X-Slack-Signature": signed(GOOD)["X-Slack-Signature"]},
    {**signed(GOOD), "X-Slack-Request-Timestamp": ""},
    {**signed(GOOD), "X-Slack-Request-Timestamp": "yesterday"},
    {**signed(GOOD), "X-Slack-Signature": ""},
    _tamper(signed(GOOD)),
    signed(GOOD, secret="someone-else's-secret"),
    signed(GOOD, timestamp=int(time.time()) - 600),
    signed(GOOD.replace("qzxwvkj", "changed")),
], ids=["none", "no-timestamp", "empty-timestamp", "bad-timestamp", "empty-signature", "tampered",
        "wrong-secret", "stale", "body-changed"])
def test_a_missing_forged_or_stale_signature_gets_401_and_nothing_happens(
        slack: Harness, engine: Engine, caplog: pytest.LogCaptureFixture, headers: dict[str, str]) -> None:
    caplog.set_level(logging.INFO)
    status, body = slack.post(GOOD, "application/json", headers, sign=False)
    assert (status, body) == (401, "invalid signature")
    only_message(slack)
    assert SqlUnansweredLog(engine).list() == []
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(("body", "content_type"), [
    ("", "application/json"),
    ("{not json", "application/json"),
    ("[1, 2]", "application/json"),
    ('{"type": 5}', "application/json"),
    ('{"type": "event_callback", "event": "x"}', "application/json"),
    ("[" * 100_000, "application/json"),
    ("payload=not+json", "application/x-www-form-urlencoded"),
    ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ('payload={"type":"block_actions","actions":"x"}', "application/x-www-form-urlencoded"),
    ("hello=world", "application/x-www-form-urlencoded"),
    ("plain words", "text/plain"),
])
def test_a_malformed_body_gets_400_and_the_server_keeps_serving(
        slack: Harness, engine: Engine, caplog: pytest.LogCaptureFixture, body: str, content_type: str) -> None:
    caplog.set_level(logging.INFO)
    status, text = slack.post(body, content_type)
    assert status == 400 and text.startswith("bad request:")
    assert not [r for r in caplog.records if r.exc_info]
    only_message(slack)
    assert SqlUnansweredLog(engine).list() == []


def test_a_body_that_is_not_utf8_gets_400(slack: Harness) -> None:
    status, _, text = slack.request("POST", "/slack/events", b"\xff\xfe{", {"Content-Type": "application/json"})
    assert status == 400 and "UTF-8" in text


def test_slacks_url_verification_is_answered(slack: Harness) -> None:
    status, body = slack.event({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                                "type": "url_verification"})
    assert status == 200 and json.loads(body) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


# --- Slack refusing to take the reply --------------------------------------------------------------


def test_rate_limited_replies_wait_for_retry_after_and_go_through(slack: Harness) -> None:
    slack.fake.fail("chat.postMessage", 429, times=2, retry_after=0)
    slack.event(event_callback(dm(FRIEND)))
    [call] = slack.fake.wait_for("chat.postMessage")
    assert slack.fake.attempts["chat.postMessage"] == 3
    assert HUXLEY_46 in text_of(call)


def test_a_private_reply_is_retried_after_a_server_error(slack: Harness) -> None:
    slack.fake.fail("response_url", 500, times=1)
    slack.form(command(FRIEND, slack.fake.response_url()))
    [call] = slack.fake.wait_for("response_url")
    assert slack.fake.attempts["response_url"] == 2 and HUXLEY_46 in text_of(call)


def test_when_slack_keeps_failing_the_failure_is_logged_and_hr_still_gets_the_question(
        slack: Harness, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    slack.fake.fail("chat.postMessage", 500, times=10)
    started = time.monotonic()
    assert slack.event(event_callback(dm(NONSENSE))) == (200, "")
    assert time.monotonic() - started < 1, "the acknowledgement must not wait for the reply"
    deadline = time.monotonic() + 15
    while not any("could not reply in Slack" in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline, "the final failure was never logged"
        time.sleep(0.05)
    assert slack.fake.attempts["chat.postMessage"] == 4  # the first try and three retries
    assert [e.question for e in SqlUnansweredLog(engine).list()] == [NONSENSE]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert BOT_TOKEN not in logged and "test-signing-secret" not in logged
