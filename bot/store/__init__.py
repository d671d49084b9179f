"""Durable storage: SQLite by default, PostgreSQL by URL."""
from bot.store.conversations import ConversationStore, SqlConversationStore, StoredConversation
from bot.store.database import StoreError, create_schema, make_engine, purge_questions
from bot.store.feedback import FeedbackLog, SqlFeedbackLog
from bot.store.unanswered import SqlUnansweredLog, UnansweredLog

__all__ = [
    "ConversationStore", "SqlConversationStore", "StoredConversation",
    "FeedbackLog", "SqlFeedbackLog", "SqlUnansweredLog", "StoreError", "UnansweredLog", "create_schema",
    "make_engine", "purge_questions",
]
