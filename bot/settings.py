"""Process settings from the environment (and a ``.env`` file), validated at start-up."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYBOT_", env_file=".env", extra="ignore")

    knowledge_dir: Path = Field(Path("knowledge"), description="Folder of school folders and synonyms")
    database_url: str = Field(
        "sqlite:///data/policybot.db", description="SQLAlchemy URL of the store (SQLite or PostgreSQL)"
    )
    semantic: bool = Field(True, description="Re-rank by meaning when policybot[semantic] is installed")
    cache_dir: Path = Field(Path("data/cache"), description="Where computed clause embeddings are kept")
