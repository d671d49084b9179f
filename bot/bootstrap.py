"""The one place real parts are wired together: settings → knowledge, store, bot."""
from __future__ import annotations

import logging

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.service import PolicyBot
from bot.settings import Settings
from bot.store import SqlUnansweredLog, StoreError, create_schema, make_engine

log = logging.getLogger(__name__)


def open_log(settings: Settings) -> SqlUnansweredLog:
    engine = make_engine(settings.database_url)
    create_schema(engine)
    return SqlUnansweredLog(engine)


def build_bot(settings: Settings, knowledge: KnowledgeBase | None = None, with_log: bool = True) -> PolicyBot:
    knowledge = knowledge or load_knowledge(settings.knowledge_dir)
    unanswered = None
    if with_log:
        try:
            unanswered = open_log(settings)
        except StoreError as exc:
            # Questions are still answered without the database; only HR's log misses them.
            log.error("unanswered questions will not be logged: %s", exc)
    return PolicyBot(knowledge, unanswered)
