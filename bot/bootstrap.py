"""The one place real parts are wired together: settings → knowledge, store, bot."""
from __future__ import annotations

import logging

from sqlalchemy import Engine

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.service import PolicyBot
from bot.settings import Settings
from bot.store import SqlFeedbackLog, SqlUnansweredLog, StoreError, create_schema, make_engine

log = logging.getLogger(__name__)


def open_engine(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    create_schema(engine)
    return engine


def open_log(settings: Settings) -> SqlUnansweredLog:
    return SqlUnansweredLog(open_engine(settings))


def build_bot(settings: Settings, knowledge: KnowledgeBase | None = None, with_log: bool = True) -> PolicyBot:
    knowledge = knowledge or load_knowledge(settings.knowledge_dir, settings.semantic, settings.cache_dir)
    if not with_log:
        return PolicyBot(knowledge, None)
    try:
        engine = open_engine(settings)
    except StoreError as exc:
        # Questions are still answered without the database; only HR's logs miss them.
        log.error("unanswered questions and feedback will not be stored: %s", exc)
        return PolicyBot(knowledge, None)
    return PolicyBot(knowledge, SqlUnansweredLog(engine), feedback=SqlFeedbackLog(engine))
