"""Shared fixtures: the real knowledge base (loaded once), copies of it to break, and a throwaway database."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge

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
