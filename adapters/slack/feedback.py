"""What the Helpful / Not helpful / Ask HR buttons carry, so a click can be recorded later.

A button's value holds the school, the quoted clause ids and the question. Slack allows 2,000
characters; a question too long for that is kept in the database (``slack_long_questions``) and
the value holds a reference to it instead, so HR always receives the whole question.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from adapters.slack.mrkdwn import fit
from bot.models import Verdict
from bot.store import StoreError
from bot.store.database import transaction
from bot.store.schema import kept_questions as long_questions

log = logging.getLogger(__name__)

ACTION_PREFIX = "feedback_"
VALUE_LIMIT = 2000



def action_id(verdict: Verdict) -> str:
    return ACTION_PREFIX + verdict.value


def verdict_of(action: str) -> Verdict | None:
    if not action.startswith(ACTION_PREFIX):
        return None
    try:
        return Verdict(action.removeprefix(ACTION_PREFIX))
    except ValueError:
        return None


@dataclass(frozen=True)
class Asked:
    """The answer a button belongs to: the question itself, or ``ref`` to a long one kept aside."""

    school: str
    clause_ids: list[str] = field(default_factory=list)
    question: str | None = None
    ref: str | None = None


def encode(asked: Asked) -> str:
    data: dict[str, object] = {"s": asked.school, "c": asked.clause_ids}
    data.update({"q": asked.question} if asked.question is not None else {"r": asked.ref})
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(value: str) -> Asked | None:
    """The value a button was given, or None when it is not one of ours."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), str):
        return None
    clause_ids, question, ref = data.get("c"), data.get("q"), data.get("r")
    if not isinstance(clause_ids, list) or not all(isinstance(c, str) for c in clause_ids):
        return None
    if not (isinstance(question, str) and question.strip()) and not (isinstance(ref, str) and ref):
        return None
    return Asked(data["s"], clause_ids, question if isinstance(question, str) else None,
                 ref if isinstance(ref, str) else None)


class LongQuestions:
    """Questions too long for a button, kept by a reference derived from school and question."""

    def __init__(self, engine: Engine | None) -> None:
        self._engine = engine

    def keep(self, school: str, question: str) -> str:
        if self._engine is None:
            raise StoreError("no database is open")
        ref = hashlib.sha256(f"{school}\n{question}".encode()).hexdigest()[:32]
        with transaction(self._engine, "keep a long question") as conn:
            if conn.execute(select(long_questions.c.ref).where(long_questions.c.ref == ref)).first() is None:
                conn.execute(insert(long_questions).values(
                    ref=ref, school=school, question=question, created_at=datetime.now(UTC)))
        return ref

    def find(self, ref: str) -> str | None:
        if self._engine is None:
            return None
        query = select(long_questions.c.question).where(long_questions.c.ref == ref)
        with transaction(self._engine, "read a long question") as conn:
            row = conn.execute(query).first()
        return row.question if row else None


def button_value(school: str, question: str, clause_ids: list[str], kept: LongQuestions) -> str:
    """The buttons' value, at most ``VALUE_LIMIT`` characters (runs database I/O for long questions)."""
    value = encode(Asked(school, clause_ids, question=question))
    if len(value) <= VALUE_LIMIT:
        return value
    try:
        return encode(Asked(school, clause_ids, ref=kept.keep(school, question)))
    except StoreError as exc:
        # Without the database feedback cannot be stored anyway; keep what fits.
        log.warning("a long question could not be kept for its feedback buttons: %s", exc)
        room = VALUE_LIMIT - len(encode(Asked(school, clause_ids, question="")))
        while len(value := encode(Asked(school, clause_ids, question=fit(question, room, " …")))) > VALUE_LIMIT:
            room -= len(value) - VALUE_LIMIT  # quotes and backslashes take two characters in JSON
        return value
