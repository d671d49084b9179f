"""Socket Mode offline: the fake Web API hands out a WebSocket on 127.0.0.1 (``apps.connections.open``),
sends ``hello`` and envelopes down it, and reads the acknowledgements; the same listeners answer."""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
from fake_slack import engine  # noqa: F401 - a fixture
from fake_slack import (
    APP_TOKEN,
    Harness,
    LoopThread,
    command,
    dm,
    event_callback,
    settings_for,
    slack_rules,
)
from sqlalchemy import Engine

from bot.knowledge import KnowledgeBase
from bot.service import PolicyBot

FRIEND = "can I accept a friend request from a pupil's mum on facebook?"
HUXLEY_46 = "You must not accept students or their parents /carers as friends"


@pytest.fixture
def socket(knowledge: KnowledgeBase, engine: Engine) -> Iterator[Harness]:
    loop = LoopThread()
    harness = Harness.start(loop, PolicyBot(knowledge, None),
                            lambda fake: settings_for(fake, signing_secret=None, app_token=APP_TOKEN),
                            socket_mode=True, engine=engine)
    yield harness
    harness.stop()
    loop.close()


def acks_for(slack: Harness, envelope_id: str, timeout: float = 10) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := [a for a in slack.fake.acks if a.get("envelope_id") == envelope_id]:
            return found
        time.sleep(0.01)
    raise AssertionError(f"no acknowledgement of {envelope_id}: {slack.fake.acks}")


def test_socket_mode_connects_with_the_app_token_and_answers_over_the_same_listeners(socket: Harness) -> None:
    assert socket.mounted.up and socket.mounted.detail.startswith("Socket Mode")
    [opened] = socket.fake.wait_for("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert socket.request("POST", "/slack/events", b"{}")[0] == 404  # no public endpoint in Socket Mode

    event = {"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
             "retry_attempt": 0, "retry_reason": "", "payload": event_callback(dm(FRIEND), event_id="Ev0SOCKET")}
    socket.loop.run(socket.fake.send_envelope(event))
    assert acks_for(socket, "env-1") == [{"envelope_id": "env-1"}]
    [answer] = socket.fake.wait_for("chat.postMessage")
    assert slack_rules(answer.args) == [] and HUXLEY_46 in json.dumps(answer.args["blocks"])

    # Slack re-sends an envelope it thinks was lost: acknowledged again, answered once.
    socket.loop.run(socket.fake.send_envelope({**event, "envelope_id": "env-2", "retry_attempt": 1,
                                               "retry_reason": "timeout"}))
    acks_for(socket, "env-2")

    slash = dict(parse_qsl(command(FRIEND, socket.fake.response_url())))
    socket.loop.run(socket.fake.send_envelope({"envelope_id": "env-3", "type": "slash_commands",
                                               "accepts_response_payload": True, "payload": slash}))
    acks_for(socket, "env-3")
    [private] = socket.fake.wait_for("response_url")
    assert slack_rules(private.args) == [] and private.args["response_type"] == "ephemeral"
    time.sleep(0.2)
    assert [c.method for c in socket.fake.messages()] == ["chat.postMessage", "response_url"]
