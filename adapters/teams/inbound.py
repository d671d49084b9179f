"""A Teams activity (the JSON Teams posts) read into the few plain values the bot acts on.

Pure: no SDK, no I/O. The checks here are what stands between a malformed request and a
traceback, so everything read from the JSON is type-checked before use.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

_AT_TAG = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)
CARD_ACTION_INVOKE = "adaptiveCard/action"


class Kind(StrEnum):
    QUESTION = "question"  # a message with text (mention stripped)
    SUBMIT = "submit"  # a card button: a message with a value, or an adaptiveCard/action invoke
    INSTALLED = "installed"  # the bot was added to a team, chat or personal scope
    UNINSTALLED = "uninstalled"
    IGNORED = "ignored"  # typing, reactions, edits, deletes, other events


@dataclass(frozen=True)
class Inbound:
    kind: Kind
    tenant_id: str | None
    conversation_id: str
    text: str = ""
    value: object = None
    asker: str | None = None
    invoke: bool = False  # the channel waits for a body in the HTTP response


def problem(raw: object) -> str | None:
    """Why this is not an activity we can process (for a 400), or None."""
    if not isinstance(raw, dict):
        return "the body is not a JSON object"
    for field in ("type", "channelId", "serviceUrl"):
        if not isinstance(raw.get(field), str) or not raw[field]:
            return f"{field} is missing"
    service = urlsplit(raw["serviceUrl"])
    if service.scheme not in ("http", "https") or not service.netloc:
        return "serviceUrl is not an http(s) URL"
    conversation = raw.get("conversation")
    if not isinstance(conversation, dict) or not _str(conversation.get("id")):
        return "conversation.id is missing"
    for field, kind in (("text", str), ("entities", list), ("channelData", dict), ("from", dict),
                        ("recipient", dict), ("membersAdded", list), ("membersRemoved", list)):
        if raw.get(field) is not None and not isinstance(raw[field], kind):
            return f"{field} has the wrong type"
    return None


def read(raw: dict[str, Any]) -> Inbound:
    """The activity as the bot sees it; ``raw`` must have passed ``problem``."""
    tenant, conversation_id = tenant_of(raw), raw["conversation"]["id"]
    sender = raw.get("from") or {}
    asker = _str(sender.get("aadObjectId")) or _str(sender.get("id"))
    kind, value, text, invoke = _classify(raw)
    return Inbound(kind, tenant, conversation_id, text=text, value=value, asker=asker, invoke=invoke)


def tenant_of(raw: dict[str, Any]) -> str | None:
    tenant = (raw.get("channelData") or {}).get("tenant")
    tenant_id = tenant.get("id") if isinstance(tenant, dict) else None
    return _str(tenant_id) or _str(raw["conversation"].get("tenantId"))


def question_text(raw: dict[str, Any]) -> str:
    """The message text without the bot's own @mention (``removeRecipientMention``), other
    mentions reduced to the name, entities such as the ``&nbsp;`` Teams puts after a mention
    decoded, whitespace collapsed."""
    text = raw.get("text") or ""
    bot_id = (raw.get("recipient") or {}).get("id")
    for entity in raw.get("entities") or []:
        if not isinstance(entity, dict) or str(entity.get("type", "")).lower() != "mention":
            continue
        mentioned = entity.get("mentioned")
        if isinstance(mentioned, dict) and mentioned.get("id") == bot_id:
            tag = entity.get("text") or f"<at>{mentioned.get('name', '')}</at>"
            text = text.replace(str(tag), " ", 1)
    return " ".join(html.unescape(_AT_TAG.sub(r"\1", text)).split())


def broadcast_id(conversation_id: str) -> str:
    """The conversation to post into later: a channel thread's id without ``;messageid=...``."""
    return conversation_id.split(";messageid=", 1)[0]


def _classify(raw: dict[str, Any]) -> tuple[Kind, object, str, bool]:
    kind, bot_id = raw["type"], (raw.get("recipient") or {}).get("id")
    if kind == "message":
        value = raw.get("value")
        if value is not None and not raw.get("text"):
            return Kind.SUBMIT, value, "", False
        return Kind.QUESTION, None, question_text(raw), False
    if kind == "invoke" and raw.get("name") == CARD_ACTION_INVOKE:
        value = raw.get("value")
        action = value.get("action") if isinstance(value, dict) else None
        return Kind.SUBMIT, action.get("data") if isinstance(action, dict) else None, "", True
    if kind == "installationUpdate":
        action = str(raw.get("action") or "")
        if action.startswith("add"):
            return Kind.INSTALLED, None, "", False
        if action.startswith("remove"):
            return Kind.UNINSTALLED, None, "", False
    if kind == "conversationUpdate" and bot_id:
        if any(isinstance(m, dict) and m.get("id") == bot_id for m in raw.get("membersAdded") or []):
            return Kind.INSTALLED, None, "", False
        if any(isinstance(m, dict) and m.get("id") == bot_id for m in raw.get("membersRemoved") or []):
            return Kind.UNINSTALLED, None, "", False
    return Kind.IGNORED, None, "", kind == "invoke"


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
