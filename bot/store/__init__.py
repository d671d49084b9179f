"""Durable storage: SQLite by default, PostgreSQL by URL."""
from bot.store.database import StoreError, create_schema, make_engine
from bot.store.unanswered import SqlUnansweredLog, UnansweredLog

__all__ = ["SqlUnansweredLog", "StoreError", "UnansweredLog", "create_schema", "make_engine"]
