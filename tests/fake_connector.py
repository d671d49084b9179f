"""The Teams side of a conversation, faked on 127.0.0.1 for the Teams tests and the bench.

``FakeConnector`` stands in for the Bot Connector service: the ``serviceUrl`` of every activity
the tests send. It records what the bot posts to ``/v3/conversations/{id}/activities[/{id}]``
(ids percent-decoded once, as the real service does), checks every Adaptive Card against the
official schema of the version the card declares (an invalid card gets the 400 a real connector
would give, and is listed in ``invalid_cards``), can fail the next requests with 429/5xx, and
serves OpenID metadata and signing keys for token tests.

``Teams`` builds activities shaped like the ones Teams posts (channelId ``msteams``, the tenant in
``channelData.tenant.id`` and ``conversation.tenantId``). ``LoopThread`` runs any aiohttp app in
its own thread and event loop, so tests stay synchronous and botbuilder's blocking key download
(``requests.get`` inside the event loop) cannot deadlock a server on the same loop.
"""
from __future__ import annotations

import asyncio
import copy
import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
from aiohttp import web

PREFIX = "/v3/conversations/"
CARD = "application/vnd.microsoft.card.adaptive"
SCHEMAS = Path(__file__).resolve().parent / "schemas"


class LoopThread:
    """An aiohttp application served on 127.0.0.1 from a thread of its own."""

    def __init__(self, app: web.Application, host: str = "127.0.0.1") -> None:
        self.app, self.host, self.port = app, host, 0
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner = web.AppRunner(app, access_log=None)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LoopThread:
        self._thread.start()
        self.run(self._start())
        return self

    def run(self, coroutine: Any, timeout: float = 30) -> Any:
        """Run a coroutine on this thread's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.run(self._runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    async def _start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@dataclass
class Posted:
    path: str  # as requested, still percent-encoded
    conversation_id: str  # decoded from the path
    reply_to_id: str | None  # the {activityId} path segment, if any
    activity: dict[str, Any]
    authorization: str | None
    status: int  # what the fake answered
    received_at: float = 0.0  # time.perf_counter() when it arrived

    @property
    def text(self) -> str | None:
        return self.activity.get("text")

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [a["content"] for a in self.activity.get("attachments") or [] if a.get("contentType") == CARD]


@dataclass
class FakeConnector:
    posted: list[Posted] = field(default_factory=list)  # every attempt, failed ones included
    invalid_cards: list[str] = field(default_factory=list)
    jwks: list[dict[str, Any]] = field(default_factory=list)
    check_cards: bool = True  # the bench turns this off while timing, and checks afterwards

    def __post_init__(self) -> None:
        self._failures: list[tuple[int, str | None]] = []
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        app = web.Application()
        app.router.add_post(PREFIX + "{tail:.+}", self._activities)
        app.router.add_get("/openid", self._openid)
        app.router.add_get("/keys", self._keys)
        self._server = LoopThread(app)

    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> FakeConnector:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        with self._changed:
            self._failures.extend([(status, retry_after)] * times)

    def delivered(self) -> list[Posted]:
        with self._changed:
            return [p for p in self.posted if p.status == 200]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Posted]:
        """The delivered activities once there are at least ``count`` (or after ``timeout`` s)."""
        with self._changed:
            self._changed.wait_for(lambda: sum(p.status == 200 for p in self.posted) >= count, timeout)
            return [p for p in self.posted if p.status == 200]

    def clear(self) -> None:
        with self._changed:
            self.posted.clear()
            self._failures.clear()

    async def _activities(self, request: web.Request) -> web.Response:
        # Split the raw (still encoded) path, so an id's own %2F cannot move a boundary.
        path = request.raw_path.split("?", 1)[0]
        parts = path[len(PREFIX):].split("/")
        if len(parts) not in (2, 3) or parts[1] != "activities":
            return web.json_response({"error": {"code": "BadSyntax"}}, status=404)
        activity = json.loads(await request.read())
        arrived = time.perf_counter()
        problems = [p for a in activity.get("attachments") or [] if a.get("contentType") == CARD
                    for p in check_card(a.get("content"))] if self.check_cards else []
        with self._changed:
            failure = self._failures.pop(0) if self._failures and not problems else None
            status = 400 if problems else failure[0] if failure else 200
            self.invalid_cards.extend(problems)
            reply_to = unquote(parts[2]) if len(parts) == 3 else None
            self.posted.append(Posted(path, unquote(parts[0]), reply_to, activity,
                                      request.headers.get("Authorization"), status, arrived))
            self._changed.notify_all()
        if status != 200:
            headers = {"Retry-After": failure[1]} if failure and failure[1] else None
            return web.json_response({"error": {"code": "BadArgument" if problems else "ServiceError"}},
                                     status=status, headers=headers)
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    async def _openid(self, request: web.Request) -> web.Response:
        return web.json_response({"issuer": "https://api.botframework.com", "jwks_uri": f"{self.url}/keys"})

    async def _keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": self.jwks})


@cache
def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


def check_card(card: object) -> list[str]:
    """Why ``card`` is not a valid Adaptive Card for Teams ([] if it is); see schemas/README.md."""
    if not isinstance(card, dict):
        return ["the card is not a JSON object"]
    version = card.get("version")
    if not (SCHEMAS / f"adaptive-card-{version}.json").is_file():
        return [f"no official schema here for Adaptive Card version {version!r} (Teams renders up to 1.5)"]
    official = jsonschema.Draft6Validator(_schema(f"adaptive-card-{version}.json"))
    return [f"Adaptive Card {version}: {_say(e)}" for e in official.iter_errors(card)]


def _say(error: jsonschema.ValidationError) -> str:
    """One readable line: the deepest reason inside anyOf/allOf, and where it is."""
    best = jsonschema.exceptions.best_match([error])
    return f"{best.message[:200]} at {'/'.join(map(str, best.absolute_path)) or 'the top'}"


def _elements(node: object) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [e for item in node for e in _elements(item)]
    if isinstance(node, dict):
        return [node] + [e for value in node.values() for e in _elements(value)]
    return []


@dataclass
class Teams:
    """Activities as Teams posts them to a bot, all pointing at one connector."""

    service_url: str
    tenant: str = "tenant-huxley"
    bot_id: str = "28:policybot-app-id"
    bot_name: str = "policybot"
    user: dict[str, str] = field(default_factory=lambda: {
        "id": "29:1staff-member", "name": "Sam Teacher", "aadObjectId": "aad-sam-0001"})

    def base(self, kind: str, conversation: dict[str, Any], **fields: Any) -> dict[str, Any]:
        activity = {
            "type": kind, "id": f"{uuid.uuid4().int % 10**13}", "timestamp": "2025-03-01T09:30:00.000Z",
            "channelId": "msteams", "serviceUrl": self.service_url, "from": dict(self.user),
            "recipient": {"id": self.bot_id, "name": self.bot_name},
            "conversation": {**conversation, "tenantId": self.tenant},
            "channelData": {"tenant": {"id": self.tenant}}, "locale": "en-GB",
        }
        activity.update(fields)
        return activity

    def personal(self, conversation_id: str = "a:1personal-chat-with-sam") -> dict[str, Any]:
        return {"id": conversation_id, "conversationType": "personal"}

    def channel(self, thread: str = "19:general@thread.tacv2", message_id: str = "1700000000123",
                ) -> dict[str, Any]:
        return {"id": f"{thread};messageid={message_id}", "conversationType": "channel", "isGroup": True}

    def message(self, text: str, conversation: dict[str, Any] | None = None, *, mention: bool = False,
                **fields: Any) -> dict[str, Any]:
        entities = []
        if mention:
            tag = f"<at>{self.bot_name}</at>"
            text = f"{tag} {text}"
            bot = {"id": self.bot_id, "name": self.bot_name}
            entities = [{"type": "mention", "text": tag, "mentioned": bot}]
        conversation = conversation or self.personal()
        activity = self.base("message", conversation, text=text, textFormat="plain", entities=entities,
                             **fields)
        if conversation.get("conversationType") == "channel":
            activity["id"] = conversation["id"].split("=", 1)[1]  # a new thread: the message starts it
            activity["channelData"].update(teamsChannelId=conversation["id"].split(";")[0],
                                           team={"id": "19:team-of-huxley@thread.tacv2"})
        return activity

    def submit(self, data: object, conversation: dict[str, Any] | None = None) -> dict[str, Any]:
        """A press on an Action.Submit button: a message with the button's data as its value."""
        return self.base("message", conversation or self.personal(), value=copy.deepcopy(data),
                         replyToId="1700000000999")

    def installed(self, conversation: dict[str, Any] | None = None, action: str = "add") -> dict[str, Any]:
        return self.base("installationUpdate", conversation or self.personal(), action=action)

    def members_added(self, conversation: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.base("conversationUpdate", conversation or self.personal(),
                         membersAdded=[{"id": self.bot_id}])
