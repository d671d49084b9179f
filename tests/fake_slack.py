"""A fake Slack for the Slack adapter's tests, on 127.0.0.1 only: what the bot sends, and what Slack sends.

``FakeSlack`` is the Web API (``/api/<method>``), the ``response_url`` endpoint (``/response/<name>``)
and a Socket Mode WebSocket (``/socket``). It records every call, answers like Slack (``ok``,
``invalid_blocks`` for a message that breaks Block Kit's rules), and can be told to answer 429
with Retry-After or 500 a number of times. ``Harness`` runs it and the real ``policybot`` aiohttp
app on a background event loop and posts requests signed with slack-sdk's own algorithm.
"""
from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

import pytest
from aiohttp import WSMsgType, web
from slack_sdk.models.blocks import Block
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine

from adapters.serve import build_app
from adapters.slack import mount
from adapters.slack.settings import SlackSettings
from bot.bootstrap import open_engine
from bot.service import PolicyBot
from bot.settings import Settings

T = TypeVar("T")
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
BOT_USER = "UBOT"
BOT_ID = "BBOT"
ASKER = "UASKER"
MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
_MARKUP = re.compile(r"<[!@#][^>]*>")


def slack_rules(message: dict[str, Any], allowed_mentions: tuple[str, ...] = ()) -> list[str]:
    """What Slack would reject or regret in a message: empty fallback text, over 50 blocks, blocks
    that slack-sdk's models cannot parse or that fail their limits, text objects over 3,000
    characters, and any mention or broadcast (``<!here>``, ``<@U1>``) not in ``allowed_mentions``."""
    problems = []
    if not isinstance(message.get("text"), str) or not message["text"].strip():
        problems.append("no plain text fallback")
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks (at most 50)")
    for n, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                raise ValueError("unknown block type")
            block.validate_json()
            block.to_dict()  # validates every nested element too
        except Exception as exc:  # noqa: BLE001 - any failure to parse is a rejected message
            problems.append(f"block {n}: {exc}")
    for text in _texts(blocks):
        if len(text) > 3000:
            problems.append(f"a text of {len(text)} characters (at most 3000)")
    everything = json.dumps(message, ensure_ascii=False)
    problems += [f"pings: {m}" for m in _MARKUP.findall(everything) if m not in allowed_mentions]
    return problems


def _texts(node: Any) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str) else []
    return own + [t for value in node.values() for t in _texts(value)]


@dataclass
class Call:
    method: str  # a Web API method, or "response_url"
    args: dict[str, Any]
    token: str | None = None
    path: str = ""
    at: float = field(default_factory=time.perf_counter)  # when the fake received it


@dataclass
class FakeSlack:
    team_names: dict[str, str] = field(default_factory=lambda: {"THUXLEY": "Huxley"})
    calls: list[Call] = field(default_factory=list)
    attempts: Counter[str] = field(default_factory=Counter)
    acks: list[dict[str, Any]] = field(default_factory=list)  # Socket Mode acknowledgements
    port: int = 0
    _failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    def fail(self, method: str, status: int, times: int = 1, retry_after: int | None = None) -> None:
        """The next ``times`` calls to ``method`` get ``status`` (with Retry-After when given)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self._failures.setdefault(method, []).extend([(status, headers)] * times)

    def messages(self) -> list[Call]:
        return [c for c in self.calls if c.method in MESSAGE_METHODS]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """The calls to ``method`` once there are ``count`` of them (polled from the test's thread)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.calls if c.method == method]
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} {method} call(s) within {timeout}s, got {self.calls!r}")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope down the (first) open WebSocket."""
        for _ in range(500):
            if self._sockets:
                await self._sockets[0].send_str(json.dumps(envelope))
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the bot never opened the Socket Mode WebSocket")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or args.get("token")
        self.attempts[method] += 1
        if failed := self._failure(method):
            return failed
        self.calls.append(Call(method, args, token, request.path))
        return web.json_response(self._answer(method, args, token))

    async def _response_url(self, request: web.Request) -> web.Response:
        self.attempts["response_url"] += 1
        if failed := self._failure("response_url"):
            return failed
        self.calls.append(Call("response_url", await request.json(), None, request.path))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}))
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.acks.append(json.loads(msg.data))
        return ws

    def _failure(self, method: str) -> web.Response | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        status, headers = queue.pop(0)
        return web.json_response({"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"},
                                 status=status, headers=headers)

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = next((t for t in self.team_names if token and t.lower() in token.lower()), "THUXLEY")
        if method == "auth.test":
            return {"ok": True, "url": "https://example.slack.com/", "team": self.team_names.get(team, team),
                    "user": "policybot", "team_id": team, "user_id": BOT_USER, "bot_id": BOT_ID,
                    "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            if problems := slack_rules(args):
                return {"ok": False, "error": "invalid_blocks", "errors": problems}
            return {"ok": True, "channel": args.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"}
        if method == "apps.connections.open":
            if not (token or "").startswith("xapp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        if method == "oauth.v2.access":
            team = str(args.get("code", "")).removeprefix("code-")
            return {"ok": True, "app_id": "A0POLICY", "access_token": f"xoxb-installed-{team.lower()}",
                    "token_type": "bot", "scope": "chat:write,commands", "bot_user_id": BOT_USER,
                    "team": {"id": team, "name": self.team_names.get(team, team)}, "enterprise": None,
                    "is_enterprise_install": False, "authed_user": {"id": "UINSTALLER"}}
        return {"ok": True}


async def _arguments(request: web.Request) -> dict[str, Any]:
    text = await request.text()
    if request.content_type == "application/json":
        return json.loads(text) if text else {}
    return dict(parse_qsl(text, keep_blank_values=True))


# --- what Slack sends to the bot -------------------------------------------------------------

_event_ids = itertools.count(1)


def signed(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with ``body``, signed with slack-sdk's implementation of the algorithm."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or ""}


def event_callback(event: dict[str, Any], team: str = "THUXLEY", event_id: str | None = None) -> dict[str, Any]:
    return {"token": "legacy", "team_id": team, "api_app_id": "A0POLICY", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_ids):08d}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": BOT_USER, "is_bot": True,
                                "is_enterprise_install": False}]}


def dm(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel": "D0ASKER", "channel_type": "im", "user": ASKER, "text": text,
            "ts": "1700000100.000100", "event_ts": "1700000100.000100", **extra}


def mention(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "app_mention", "channel": "C0STAFF", "user": ASKER, "text": f"<@{BOT_USER}> {text}",
            "ts": "1700000200.000200", "event_ts": "1700000200.000200", **extra}


def command(text: str, response_url: str, team: str = "THUXLEY") -> str:
    return urlencode({"token": "legacy", "team_id": team, "team_domain": "huxley", "channel_id": "C0STAFF",
                      "channel_name": "staffroom", "user_id": ASKER, "user_name": "asker", "command": "/policy",
                      "text": text, "api_app_id": "A0POLICY", "response_url": response_url,
                      "trigger_id": "1.2.3"})


def click(action_id: str, value: str, response_url: str, team: str = "THUXLEY") -> str:
    payload = {"type": "block_actions", "team": {"id": team, "domain": "huxley"},
               "user": {"id": ASKER, "team_id": team}, "api_app_id": "A0POLICY", "token": "legacy",
               "container": {"type": "message", "message_ts": "1700000300.000300", "channel_id": "C0STAFF",
                             "is_ephemeral": True},
               "trigger_id": "1.2.3", "channel": {"id": "C0STAFF"}, "response_url": response_url,
               "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                            "text": {"type": "plain_text", "text": "Helpful"}, "action_ts": "1700000301.1"}]}
    return urlencode({"payload": json.dumps(payload)})


# --- running it all ------------------------------------------------------------------------------


class LoopThread:
    """One asyncio loop on a daemon thread, for servers the (synchronous) tests talk to over HTTP."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="slack-tests-loop", daemon=True).start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@dataclass
class Harness:
    """The fake Slack plus policybot's real aiohttp app (``mount`` included) on a free local port."""

    loop: LoopThread
    fake: FakeSlack
    port: int = 0
    runner: web.AppRunner | None = None
    mounted: Any = None

    @classmethod
    def start(cls, loop: LoopThread, bot: PolicyBot, settings: Callable[[FakeSlack], SlackSettings],
              socket_mode: bool = False, engine: Any = None) -> Harness:
        harness = cls(loop, FakeSlack(team_names={"THUXLEY": "Huxley", "THAMPSHIRE": "Hampshire"}))
        loop.run(harness.fake.start())
        loop.run(harness._serve(bot, settings(harness.fake), socket_mode, engine))
        return harness

    async def _serve(self, bot: PolicyBot, settings: SlackSettings, socket_mode: bool, engine: Any) -> None:
        app = build_app(bot)
        self.mounted = mount(app, bot, socket_mode=socket_mode, settings=settings, engine=engine)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        """Stop both servers, then judge every message the bot sent by Slack's rules."""
        if self.runner is not None:
            self.loop.run(self.runner.cleanup())
        self.loop.run(self.fake.stop())
        broken = {n: problems for n, call in enumerate(self.fake.messages()) if (problems := slack_rules(call.args))}
        assert not broken, f"messages Slack would reject or regret: {broken}"

    def request(self, method: str, path: str, body: str | bytes = b"",
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
             sign: bool = True) -> tuple[int, str]:
        all_headers = {"Content-Type": content_type, **(signed(body) if sign else {}), **(headers or {})}
        status, _, text = self.request("POST", "/slack/events", body.encode("utf-8"), all_headers)
        return status, text

    def event(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, str]:
        return self.post(json.dumps(body), "application/json", headers)

    def form(self, body: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        return self.post(body, "application/x-www-form-urlencoded", headers)


def settings_for(fake: FakeSlack, **overrides: Any) -> SlackSettings:
    """Settings pointing at the fake, never read from the environment or a .env file."""
    values: dict[str, Any] = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "app_token": None,
                              "api_url": fake.api_url, "client_id": None, "client_secret": None, **overrides}
    return SlackSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The test's own database, opened as ``policybot serve`` opens it: every table, Slack's included."""
    engine = open_engine(Settings(database_url=db_url))
    yield engine
    engine.dispose()
