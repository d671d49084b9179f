"""Slack's text format both ways: Slack markup read as a plain question, and any text made safe for mrkdwn.

Slack sends ``&``, ``<`` and ``>`` as entities and wraps mentions and links in angle brackets
(``<@U123>``, ``<!here>``, ``<https://x|label>``). The core wants plain words; a message we send
must never turn user or policy text back into a mention, so every such text goes through ``escape``.
"""
from __future__ import annotations

import re

_MARKUP = re.compile(r"<([^<>]*)>")


def escape(text: str) -> str:
    """Text shown literally in mrkdwn: ``<!channel>`` becomes ``&lt;!channel&gt;`` and pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """A message's text as a person wrote it, without mentions of the bot: the question to ask.

    Links read as their label (or address), channels as ``#name``, ``<!here>`` as ``@here``;
    people are dropped (the policies never name them, and HR's log need not either).
    """

    def readable(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):  # a person (or the bot itself)
            return "" if target[1:] == bot_user_id else label.lstrip("@")
        if target.startswith("#"):
            return f"#{label}" if label else ""
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        return label or target.removeprefix("mailto:")

    plain = _MARKUP.sub(readable, text)
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(plain.split())


def fit(text: str, limit: int, mark: str) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at a word and ended with ``mark``."""
    if len(text) <= limit:
        return text
    return text[: _cut(text, limit - len(mark))].rstrip() + mark


def wrap(line: str, width: int) -> list[str]:
    """One long line as pieces of at most ``width`` characters, cut at spaces where possible."""
    pieces: list[str] = []
    while len(line) > width:
        cut = _cut(line, width)
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    pieces.append(line)
    return pieces


def _cut(text: str, width: int) -> int:
    """Where to cut ``text`` to keep at most ``width`` characters: at the last space if there is one
    in the second half, else at ``width`` but never inside an escaped entity such as ``&amp;``."""
    space = text.rfind(" ", 0, width + 1)
    if space >= width // 2:
        return space
    amp = text.rfind("&", max(width - 5, 0), width)
    return amp if amp > 0 and ";" not in text[amp:width] else width
