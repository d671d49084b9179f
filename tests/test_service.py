"""PolicyBot.ask with a real SQLite log and a fixed clock: what reaches HR's log, and what never does."""
from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.answering import QuestionError
from bot.knowledge import KnowledgeBase, UnknownSchool, load_knowledge
from bot.models import Channel, LogStatus
from bot.service import PolicyBot
from bot.store import SqlUnansweredLog, create_schema, make_engine

NOW = datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC)
ANSWERABLE = "can I accept a parent's friend request on facebook?"
# Nothing in any policy: no clause shares a word, so there are no candidates either.
NONSENSE = "qzxwvkj pfthrrbl zzyzxq gwkrtx?"
# One word every policy uses among many none does: some clauses match, far too little of the question.
MOSTLY_NONSENSE = "qzxwvkj pfthrrbl zzyzxq gwkrtx vbnmqz jjkxq hwpfrt media?"


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = make_engine(db_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def unanswered(engine: Engine) -> SqlUnansweredLog:
    return SqlUnansweredLog(engine)


@pytest.fixture
def bot(knowledge: KnowledgeBase, unanswered: SqlUnansweredLog) -> PolicyBot:
    return PolicyBot(knowledge, unanswered, clock=lambda: NOW)


def test_an_abstention_is_logged_for_hr_without_the_asker(bot: PolicyBot, unanswered: SqlUnansweredLog) -> None:
    answer = bot.ask("huxley", f"  {MOSTLY_NONSENSE}  ", Channel.SLACK, asker="U0123ASKER")
    assert not answer.answered
    assert answer.clauses == []
    assert answer.logged
    assert answer.candidates, "the test question should match some clauses weakly"

    [entry] = unanswered.list()
    assert entry.id is not None
    assert entry.school == "huxley"
    assert entry.channel is Channel.SLACK
    assert entry.question == MOSTLY_NONSENSE  # as answered: whitespace tidied
    assert entry.created_at == NOW
    assert entry.status is LogStatus.OPEN
    assert entry.resolved_at is None
    # Huxley's config leaves log_asker_identity off: stored anonymously whatever the channel passed.
    assert entry.asker is None
    # What the bot considered, with scores, for HR to see why it abstained.
    assert [c.clause_id for c in entry.candidates] == [q.clause.id for q in answer.candidates]
    assert [c.score for c in entry.candidates] == pytest.approx([q.score for q in answer.candidates])
    for candidate in entry.candidates:
        assert candidate.clause_id.startswith("huxley/")
        assert candidate.policy == "Social Media Policy"
        assert candidate.score > 0


def test_an_abstention_with_no_matching_clause_is_logged_with_no_candidates(
    bot: PolicyBot, unanswered: SqlUnansweredLog
) -> None:
    answer = bot.ask("wakefield", NONSENSE, Channel.TEAMS)
    assert not answer.answered and answer.logged
    [entry] = unanswered.list()
    assert (entry.school, entry.channel, entry.candidates, entry.asker) == ("wakefield", Channel.TEAMS, [], None)


def test_the_asker_is_stored_only_when_the_school_allows_it(
    knowledge_copy: Path, unanswered: SqlUnansweredLog
) -> None:
    config = knowledge_copy / "huxley" / "school.yaml"
    text = config.read_text(encoding="utf-8")
    assert "log_asker_identity: false" in text
    config.write_text(text.replace("log_asker_identity: false", "log_asker_identity: true"), encoding="utf-8")
    bot = PolicyBot(load_knowledge(knowledge_copy), unanswered, clock=lambda: NOW)

    assert bot.ask("huxley", NONSENSE, Channel.SLACK, asker="U0123ASKER").logged
    assert bot.ask("huxley", "another " + NONSENSE, Channel.CLI).logged
    assert bot.ask("wakefield", NONSENSE, Channel.SLACK, asker="U0999OTHER").logged  # still anonymous there

    askers = {(e.school, e.question.split()[0]): e.asker for e in unanswered.list()}
    assert askers == {("huxley", "qzxwvkj"): "U0123ASKER", ("huxley", "another"): None, ("wakefield", "qzxwvkj"): None}


def test_record_false_never_logs(bot: PolicyBot, unanswered: SqlUnansweredLog) -> None:
    answer = bot.ask("huxley", NONSENSE, Channel.CLI, asker="U0123ASKER", record=False)
    assert not answer.answered
    assert not answer.logged
    assert unanswered.list() == []


def test_an_answered_question_is_never_logged(bot: PolicyBot, unanswered: SqlUnansweredLog) -> None:
    answer = bot.ask("huxley", ANSWERABLE, Channel.WEB, asker="U0123ASKER")
    assert answer.answered
    assert not answer.logged
    safeguarding = bot.ask("st-elisabeths", "I think a pupil is being radicalised online", Channel.WEB)
    assert safeguarding.answered and safeguarding.safeguarding
    assert not safeguarding.logged
    assert unanswered.list() == []


def test_without_a_log_an_abstention_is_answered_and_not_logged(knowledge: KnowledgeBase) -> None:
    answer = PolicyBot(knowledge, None, clock=lambda: NOW).ask("huxley", NONSENSE, Channel.CLI)
    assert not answer.answered
    assert not answer.logged


def test_a_question_that_cannot_be_asked_is_refused_and_not_logged(
    bot: PolicyBot, unanswered: SqlUnansweredLog
) -> None:
    with pytest.raises(QuestionError):
        bot.ask("huxley", "   ", Channel.CLI)
    with pytest.raises(UnknownSchool):
        bot.ask("narnia", NONSENSE, Channel.CLI)
    assert unanswered.list() == []


def test_the_clock_dates_the_answer_and_the_entry(knowledge: KnowledgeBase, unanswered: SqlUnansweredLog) -> None:
    # Huxley's review date is 17 July 2023: the note depends on the bot's clock, not the real date.
    before = PolicyBot(knowledge, unanswered, clock=lambda: datetime(2023, 7, 1, tzinfo=UTC))
    after = PolicyBot(knowledge, unanswered, clock=lambda: datetime(2023, 8, 1, tzinfo=UTC))
    assert not any("due for review" in n for n in before.ask("huxley", ANSWERABLE, Channel.CLI).notes)
    assert any("due for review" in n for n in after.ask("huxley", ANSWERABLE, Channel.CLI).notes)
    before.ask("huxley", NONSENSE, Channel.CLI)
    [entry] = unanswered.list()
    assert entry.created_at == datetime(2023, 7, 1, tzinfo=UTC)


def test_an_unreachable_database_still_answers_and_tells_the_operator(
    tmp_path: Path, knowledge: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "db"
    engine = make_engine(f"sqlite:///{folder / 'policybot.db'}")
    create_schema(engine)
    engine.dispose()  # no pooled connection to the old file survives
    # The database's folder becomes a file: the log can no longer be opened.
    shutil.rmtree(folder)
    folder.write_text("not a folder", encoding="utf-8")
    bot = PolicyBot(knowledge, SqlUnansweredLog(engine), clock=lambda: NOW)
    secret = "zzkrtq pfthrrbl wvbnkq gwkrtx"

    with caplog.at_level(logging.ERROR, logger="bot.service"):
        answer = bot.ask("huxley", secret, Channel.SLACK, asker="U0123ASKER")

    assert answer.question == secret
    assert not answer.answered
    assert not answer.logged
    assert answer.contact.role == knowledge.school("huxley").config.default_contact
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.service"]
    assert len(errors) == 1
    assert "huxley" in errors[0].getMessage()
    # Questions can hold personal data: the operator's log must not copy them.
    assert secret not in caplog.text
    assert "U0123ASKER" not in caplog.text
