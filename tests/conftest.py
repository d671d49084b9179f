"""Shared fixtures: the real knowledge base (loaded once), copies of it to break, and a throwaway database."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import Engine, make_url

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.store import create_schema, make_engine

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def knowledge_dir() -> Path:
    """The real ``knowledge/`` folder of the repository (read only: copy it before changing anything)."""
    return REPO_ROOT / "knowledge"


@pytest.fixture(scope="session")
def knowledge(knowledge_dir: Path) -> KnowledgeBase:
    """The real knowledge base, loaded once per session."""
    return load_knowledge(knowledge_dir)


@pytest.fixture
def knowledge_copy(tmp_path: Path, knowledge_dir: Path) -> Path:
    """A private copy of ``knowledge/`` that a test may edit or break."""
    return Path(shutil.copytree(knowledge_dir, tmp_path / "knowledge-copy"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite URL for a file in the test's own folder (``sqlite:////abs/path``)."""
    return f"sqlite:///{tmp_path / 'policybot-test.db'}"


# --- databases: a real SQLite file and a real PostgreSQL (one fresh schema per test) ---

POSTGRES_URL = os.environ.get("POLICYBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Not UTC, so a test only passes if PostgreSQL's session-zone datetimes are converted back to UTC.
POSTGRES_SESSION_ZONE = "America/New_York"

def _postgres_unreachable_reason() -> str | None:
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        shown = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        return f"PostgreSQL at {shown} is unreachable: {str(exc).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    reason = _postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'policybot.db'}"


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh schema per test, selected through the URL, so runs and tests never share a table."""
    schema = f"policybot_test_{uuid.uuid4().hex}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    options = quote(f"-csearch_path={schema} -cTimeZone={POSTGRES_SESSION_ZONE}")
    try:
        yield f"{postgres_admin_url}?options={options}"
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue(f"{request.param}_url")
    engine = make_engine(url)
    create_schema(engine)
    yield engine
    engine.dispose()
