"""The ``policybot`` CLI: mostly through click's CliRunner, plus real subprocess runs of the entry point.

Every run uses a SQLite file in the test's own folder and runs from that folder, so nothing touches
the repository's ``data/``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from adapters.cli.main import cli
from bot.knowledge import KnowledgeBase
from bot.models import Channel, Feedback, LogStatus, Verdict
from bot.store import SqlFeedbackLog, SqlUnansweredLog, create_schema, make_engine
from bot.store.schema import kept_questions

REPO_ROOT = Path(__file__).resolve().parent.parent
FRIEND_REQUEST = "can I accept a parent's friend request on facebook?"
HUXLEY_46 = "You must not accept students or their parents /carers as friends"
# Nothing in any policy shares a word with these, typo-corrected or not: a sure abstention.
NONSENSE = "qzxwvkj pfthrrbl zzyzxq gwkrtx?"
NONSENSE_2 = "wvbnkq zzkrtq pfthrrbl jjkxqz?"
ANSWER_KEYS = {"school", "question", "answered", "clauses", "contact", "logged", "notes"}
CLAUSE_KEYS = {"policy", "ref", "heading", "text", "score"}
CONTACT_KEYS = {"role", "name", "email"}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, knowledge_dir: Path, db_url: str) -> None:
    """Every command in these tests reads the real knowledge and writes only the test's own database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", db_url)
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(knowledge_dir))
    monkeypatch.setenv("COLUMNS", "100")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def ok(*args: str, input: str | None = None) -> Result:
    result = run(*args, input=input)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr, result.exception)
    return result


def flat(text: str) -> str:
    """Terminal output with line wrapping undone."""
    return " ".join(text.split())


def assert_clean_error(result: Result, *phrases: str, exit_code: int = 1) -> str:
    """Non-zero exit, one clear 'Error:' line on stderr naming ``phrases``, nothing on stdout, no traceback."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not an uncaught crash
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if exit_code == 1:
        assert len(lines) == 1, lines
    [error] = [line for line in lines if line.startswith("Error:")]
    for phrase in phrases:
        assert phrase in error, (phrase, error)
    return error


def log_entries(db_url: str) -> list:
    engine = make_engine(db_url)
    try:
        create_schema(engine)
        return SqlUnansweredLog(engine).list()
    finally:
        engine.dispose()


# --- ask ----------------------------------------------------------------------------------------------


def test_ask_quotes_huxley_clause_46_with_contact_and_review_note() -> None:
    out = ok("ask", "--school", "huxley", FRIEND_REQUEST).stdout
    assert out.startswith("Here is what Huxley CE Primary School's policies say:")
    assert HUXLEY_46 in flat(out)
    assert "Social Media Policy · 4.6" in out
    assert "If in doubt, ask HR (hr@huxley.example.org)." in out
    # Huxley's policy was due for review on 17 July 2023, long before any day these tests run.
    assert "Note: The Social Media Policy was due for review on 17 July 2023" in flat(out)
    assert "safeguarding" not in out.lower()


def test_ask_json_has_exactly_the_batch_format(db_url: str) -> None:
    answer = json.loads(ok("ask", "--school", "huxley", "--json", FRIEND_REQUEST).stdout)
    assert set(answer) == ANSWER_KEYS
    assert answer["school"] == "huxley"
    assert answer["question"] == FRIEND_REQUEST
    assert answer["answered"] is True
    assert answer["logged"] is False
    assert answer["clauses"]
    for clause in answer["clauses"]:
        assert set(clause) == CLAUSE_KEYS
        assert clause["policy"] == "Social Media Policy"
        assert isinstance(clause["text"], str) and clause["text"]
        assert isinstance(clause["score"], float)
    assert "4.6" in [c["ref"] for c in answer["clauses"]]
    assert any(HUXLEY_46 in c["text"] for c in answer["clauses"])
    assert set(answer["contact"]) == CONTACT_KEYS
    assert answer["contact"] == {"role": "hr", "name": "HR", "email": "hr@huxley.example.org"}
    assert all(isinstance(n, str) for n in answer["notes"])
    assert any("due for review on 17 July 2023" in n for n in answer["notes"])
    assert log_entries(db_url) == []  # answered: nothing for HR


def test_ask_an_unanswerable_question_abstains_and_logs_it(db_url: str) -> None:
    answer = json.loads(ok("ask", "--school", "huxley", "--json", NONSENSE).stdout)
    assert answer["answered"] is False
    assert answer["clauses"] == []
    assert answer["contact"]["role"] == "hr"
    assert answer["logged"] is True
    [entry] = log_entries(db_url)
    assert (entry.school, entry.question, entry.channel, entry.status) == ("huxley", NONSENSE, Channel.CLI, LogStatus.OPEN)
    assert entry.asker is None


def test_ask_annual_leave_at_huxley_abstains_and_logs_it(db_url: str) -> None:
    """Huxley's social media policy says nothing about annual leave: the bot must say so, not quote."""
    answer = json.loads(ok("ask", "--school", "huxley", "--json", "how many days of annual leave do I get?").stdout)
    assert answer["answered"] is False, [c["ref"] for c in answer["clauses"]]
    assert answer["clauses"] == []
    assert answer["contact"]["role"] == "hr"
    assert answer["logged"] is True
    [entry] = log_entries(db_url)
    assert entry.school == "huxley" and entry.status is LogStatus.OPEN


def test_ask_text_for_an_abstention_says_it_was_passed_to_hr() -> None:
    out = flat(ok("ask", "--school", "st-elisabeths", NONSENSE).stdout)
    assert "I couldn't find this in St Elisabeth's CE Primary School's policies." in out
    assert "passed your question to HR" in out
    assert "If in doubt, ask Head of School (headteacher@st-elisabeths.example.org)." in out


def test_ask_a_safeguarding_concern_names_the_safeguarding_contact() -> None:
    answer = json.loads(ok("ask", "--school", "huxley", "--json", "a year 8 girl told me her stepdad hits her").stdout)
    assert answer["answered"] is True and answer["clauses"]
    assert answer["contact"]["role"] == "headteacher"
    assert any(n.startswith("This may be a safeguarding concern") for n in answer["notes"])


def test_there_is_no_asker_option_and_the_cli_stores_no_asker(knowledge_copy: Path, db_url: str) -> None:
    assert_clean_error(run("ask", "--school", "huxley", "--asker", "bob", NONSENSE), "--asker", exit_code=2)
    assert log_entries(db_url) == []
    # Even where the school allows it, the CLI has no asker to store.
    config = knowledge_copy / "huxley" / "school.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("log_asker_identity: false",
                                                                 "log_asker_identity: true"), encoding="utf-8")
    ok("ask", "--knowledge", str(knowledge_copy), "--school", "huxley", NONSENSE)
    [entry] = log_entries(db_url)
    assert entry.asker is None


def test_ask_still_answers_when_the_database_cannot_be_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'blocker' / 'sub' / 't.db'}")
    answer = json.loads(ok("ask", "--school", "huxley", "--json", NONSENSE).stdout)
    assert answer["answered"] is False
    assert answer["logged"] is False


# --- ask --batch ----------------------------------------------------------------------------------------


def test_batch_prints_one_answer_per_line_in_order_and_never_logs(tmp_path: Path, db_url: str) -> None:
    rows = [
        {"school": "huxley", "question": FRIEND_REQUEST, "id": "b1", "kind": "answerable", "extra": [1, 2]},
        {"school": "st-elisabeths", "question": "can I post photos of pupils?", "note": "ignored"},
        {"school": "wakefield", "question": NONSENSE},
        {"school": "huxley", "question": NONSENSE_2},
    ]
    lines = [json.dumps(rows[0]), "", json.dumps(rows[1]), "   ", json.dumps(rows[2]), json.dumps(rows[3]), ""]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines), encoding="utf-8")

    out = ok("ask", "--batch", str(batch)).stdout
    answers = [json.loads(line) for line in out.splitlines()]
    assert [(a["school"], a["question"]) for a in answers] == [(r["school"], r["question"]) for r in rows]
    for answer in answers:
        assert set(answer) == ANSWER_KEYS
        assert answer["logged"] is False
    assert "4.6" in [c["ref"] for c in answers[0]["clauses"]]
    assert answers[1]["answered"] is True
    assert answers[2]["answered"] is False and answers[3]["answered"] is False
    assert log_entries(db_url) == []


def test_batch_line_that_is_not_json_names_file_and_line(tmp_path: Path) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text(json.dumps({"school": "huxley", "question": FRIEND_REQUEST}) + "\n\n{not json\n",
                     encoding="utf-8")
    assert_clean_error(run("ask", "--batch", str(batch)), f"{batch}:3")


def test_batch_row_without_a_question_names_file_and_line(tmp_path: Path) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text(json.dumps({"school": "huxley"}) + "\n", encoding="utf-8")
    assert_clean_error(run("ask", "--batch", str(batch)), f"{batch}:1", "question")


def test_batch_row_with_an_unknown_school_is_a_clean_error(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"school": "narnia", "question": FRIEND_REQUEST}) + "\n", encoding="utf-8")
    assert_clean_error(run("ask", "--batch", str(batch)), f"{batch}:1", "unknown school 'narnia'", "huxley")


@pytest.mark.parametrize("question", ["", "   ", "x" * 100_000])
def test_batch_row_with_a_bad_question_fails_before_any_answer_is_printed(tmp_path: Path, question: str) -> None:
    batch = tmp_path / "batch.jsonl"
    rows = [{"school": "huxley", "question": FRIEND_REQUEST}, {"school": "huxley", "question": question}]
    batch.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert_clean_error(run("ask", "--json", "--batch", str(batch)), f"{batch}:2")  # and nothing on stdout


# --- errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "phrases"), [
    (["--school", "narnia", FRIEND_REQUEST], ["unknown school 'narnia'", "huxley", "wakefield"]),
    (["--school", "huxley", ""], ["Please type a question"]),
    (["--school", "huxley", "   \n\t "], ["Please type a question"]),
    (["--school", "huxley", "x" * 100_000], ["100,000 characters", "2,000"]),
    (["--knowledge", "/nonexistent", "--school", "huxley", FRIEND_REQUEST], ["/nonexistent", "not found"]),
], ids=["unknown-school", "empty", "whitespace", "100KB", "no-knowledge-dir"])
def test_ask_errors_are_one_clear_line(args: list[str], phrases: list[str], db_url: str) -> None:
    assert_clean_error(run("ask", *args), *phrases)
    assert log_entries(db_url) == []


def test_ask_without_school_is_a_usage_error() -> None:
    assert_clean_error(run("ask", FRIEND_REQUEST), "--school", exit_code=2)
    assert_clean_error(run("ask", "--school", "huxley"), "--school", exit_code=2)


@pytest.mark.parametrize("breakage", ["bad-yaml", "unknown-role", "bad-email", "missing-policy-file"])
def test_a_broken_school_config_is_a_clean_error_naming_the_file(knowledge_copy: Path, breakage: str) -> None:
    folder = knowledge_copy / "huxley"
    config = folder / "school.yaml"
    text = config.read_text(encoding="utf-8")
    if breakage == "bad-yaml":
        config.write_text(text + "\npolicies: [unclosed\n", encoding="utf-8")
    elif breakage == "unknown-role":
        config.write_text(text.replace("default_contact: hr", "default_contact: caretaker"), encoding="utf-8")
    elif breakage == "bad-email":
        config.write_text(text.replace("hr@huxley.example.org", "hr at huxley"), encoding="utf-8")
    else:
        (folder / "social-media-policy.txt").unlink()
    for args in (["ask", "--school", "wakefield", FRIEND_REQUEST], ["schools"], ["clauses", "--school", "wakefield"]):
        assert_clean_error(run(*args[:1], "--knowledge", str(knowledge_copy), *args[1:]), "huxley")


# --- schools, clauses, chat, eval --------------------------------------------------------------------------


def test_schools_lists_every_school_with_clause_counts_and_review_status(knowledge: KnowledgeBase) -> None:
    out = ok("schools").stdout
    today = datetime.now(UTC).date()
    blocks: dict[str, str] = {}
    for line in out.splitlines():
        if not line.startswith(" "):
            blocks[line.split()[0]] = line
        else:
            blocks[list(blocks)[-1]] += "\n" + line
    assert sorted(blocks) == ["hampshire", "herefordshire", "huxley", "st-elisabeths", "wakefield"]
    for school_id, block in blocks.items():
        school = knowledge.school(school_id)
        assert school.config.name in block
        for policy in school.config.policies:
            count = sum(1 for c in school.clauses if c.policy == policy.title)
            assert count > 0
            assert f"{policy.title} ({policy.file}): {count} clauses" in block
            overdue = policy.review is not None and policy.review < today
            assert ("REVIEW OVERDUE" in block) == overdue, block
    assert "REVIEW OVERDUE since 17 Jul 2023" in blocks["huxley"]
    assert "REVIEW OVERDUE since 1 Sep 2017" in blocks["wakefield"]
    assert "no review date" in blocks["st-elisabeths"]


def test_clauses_shows_how_huxley_was_split() -> None:
    out = ok("clauses", "--school", "huxley").stdout
    assert out.startswith("[1] Social Media Policy")
    assert "Social Media Policy · 4.6" in out
    assert HUXLEY_46 in flat(out)
    assert "lead-in:" in out
    assert_clean_error(run("clauses", "--school", "narnia"), "unknown school")


def test_chat_answers_then_quits(db_url: str) -> None:
    out = ok("chat", "--school", "huxley", input="can I post photos of pupils?\nquit\n").stdout
    assert "Ask about Huxley CE Primary School's policies." in out
    assert "Here is what Huxley CE Primary School's policies say:" in out
    assert "Social Media Policy ·" in out
    assert "If in doubt, ask" in out
    assert log_entries(db_url) == []


def test_chat_survives_a_bad_question_and_logs_an_unanswerable_one(db_url: str) -> None:
    too_long = "photos " * 500
    out = ok("chat", "--school", "huxley", input=f"{too_long}\n{NONSENSE}\n\n{FRIEND_REQUEST}\n").stdout
    assert "characters long" in out  # said, and the chat went on
    assert "I couldn't find this in Huxley CE Primary School's policies." in out
    assert "Here is what" not in out  # the blank line ended the chat before the last question
    [entry] = log_entries(db_url)
    assert (entry.question, entry.channel, entry.asker) == (NONSENSE, Channel.CLI, None)


def test_chat_ends_on_end_of_input() -> None:
    out = ok("chat", "--school", "huxley", input=f"{FRIEND_REQUEST}\n").stdout
    assert HUXLEY_46 in flat(out)


def test_chat_with_an_unknown_school_is_a_clean_error() -> None:
    assert_clean_error(run("chat", "--school", "narnia"), "unknown school 'narnia'")


def test_eval_scores_a_question_file(tmp_path: Path, db_url: str) -> None:
    questions = [
        {"id": "t-1", "school": "huxley", "question": FRIEND_REQUEST, "kind": "answerable",
         "expect": [HUXLEY_46], "contacts": ["hr", "headteacher"]},
        {"id": "t-2", "school": "herefordshire", "question": "who do I report inappropriate content to",
         "kind": "answerable", "expect": ["report any inappropriate content to their line manager"],
         "contacts": ["line_manager", "headteacher"]},
        {"id": "t-3", "school": "wakefield", "question": NONSENSE, "kind": "unanswerable",
         "expect": [], "contacts": ["hr"]},
        {"id": "t-4", "school": "st-elisabeths", "question": "I think a pupil is being radicalised online",
         "kind": "safeguarding", "expect": ["at risk of radicalisation"], "contacts": ["headteacher", "dsl"]},
    ]
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in questions) + "\n", encoding="utf-8")

    out = ok("eval", str(path)).stdout
    body, verdict = out.rstrip("\n").rsplit("\n", 1)
    result = json.loads(body)
    assert result["questions"] == 4
    for key in ("hit_at_1", "hit_at_3", "mrr_at_5", "false_abstain_rate_max", "abstain_on_unanswerable",
                "contact_accuracy", "safeguarding_contact_accuracy", "verbatim_quote_rate",
                "foreign_school_quote_rate_max"):
        assert 0.0 <= result[key] <= 1.0, key
    assert result["hit_at_3"] == 1.0, result["misses"]
    assert result["abstain_on_unanswerable"] == 1.0
    assert result["safeguarding_contact_accuracy"] == 1.0
    assert result["verbatim_quote_rate"] == 1.0
    assert result["foreign_school_quote_rate_max"] == 0.0
    assert result["abstentions_logged"] == 0  # eval never writes HR's log
    assert verdict == "all quality bars met" or verdict.startswith("below bar: ")
    assert log_entries(db_url) == []


def test_eval_on_a_bad_question_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(json.dumps({"school": "huxley", "question": "q", "kind": "answerable"}) + "\n"
                    + json.dumps({"school": "huxley", "question": "q", "kind": "bogus"}) + "\n", encoding="utf-8")
    assert_clean_error(run("eval", str(path)), f"{path}:2", "bogus")


# --- log -----------------------------------------------------------------------------------------------------


def test_log_list_resolve_and_purge(db_url: str) -> None:
    assert ok("log", "list").stdout.strip() == "no unanswered questions"
    ok("ask", "--school", "huxley", NONSENSE)
    ok("ask", "--school", "st-elisabeths", NONSENSE_2)
    entries = {e.school: e for e in log_entries(db_url)}
    assert set(entries) == {"huxley", "st-elisabeths"}

    listed = ok("log", "list").stdout
    huxley_id = entries["huxley"].id
    assert f"#{huxley_id} " in listed and f"#{entries['st-elisabeths'].id} " in listed
    assert "huxley [open] via cli: " + NONSENSE in listed
    assert "st-elisabeths [open] via cli: " + NONSENSE_2 in listed
    assert "nearest clauses:" in listed
    only_huxley = ok("log", "list", "--school", "huxley").stdout
    assert NONSENSE in only_huxley and NONSENSE_2 not in only_huxley

    assert ok("log", "resolve", str(huxley_id)).stdout.strip() == f"#{huxley_id} resolved"
    statuses = {e.school: e.status for e in log_entries(db_url)}
    assert statuses == {"huxley": LogStatus.RESOLVED, "st-elisabeths": LogStatus.OPEN}
    open_only = ok("log", "list", "--status", "open").stdout
    assert NONSENSE_2 in open_only and NONSENSE not in open_only
    assert "[resolved]" in ok("log", "list", "--status", "resolved").stdout

    # Fresh entries are younger than a day: nothing to purge yet.
    assert ok("log", "purge", "--older-than", "1").stdout.startswith("deleted 0 entries older than 1 days")
    assert len(log_entries(db_url)) == 2
    assert ok("log", "purge", "--older-than", "0").stdout.startswith("deleted 2 entries older than 0 days")
    assert log_entries(db_url) == []
    assert ok("log", "list").stdout.strip() == "no unanswered questions"


def test_log_purge_can_be_limited_to_one_school(db_url: str) -> None:
    ok("ask", "--school", "huxley", NONSENSE)
    ok("ask", "--school", "wakefield", NONSENSE)
    assert "deleted 1 entries" in ok("log", "purge", "--older-than", "0", "--school", "wakefield").stdout
    assert [e.school for e in log_entries(db_url)] == ["huxley"]


def test_log_resolve_an_unknown_id_is_an_error() -> None:
    assert_clean_error(run("log", "resolve", "999"), "no unanswered question #999")
    assert_clean_error(run("log", "resolve", "seven"), "seven", exit_code=2)


def test_log_purge_needs_a_non_negative_age() -> None:
    assert_clean_error(run("log", "purge"), "--older-than", exit_code=2)
    assert_clean_error(run("log", "purge", "--older-than", "-1"), "-1", exit_code=2)


def test_log_with_a_bad_database_url_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", "not a url at all")
    assert_clean_error(run("log", "list"), "not a valid SQLAlchemy URL")


# --- settings -----------------------------------------------------------------------------------------------


def test_the_knowledge_dir_env_var_is_honoured(monkeypatch: pytest.MonkeyPatch, knowledge_copy: Path,
                                               knowledge_dir: Path) -> None:
    for sub in knowledge_copy.iterdir():
        if sub.is_dir() and sub.name != "huxley":
            shutil.rmtree(sub)
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(knowledge_copy))

    out = ok("schools").stdout
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == ["huxley"]
    assert HUXLEY_46 in flat(ok("ask", "--school", "huxley", FRIEND_REQUEST).stdout)
    assert_clean_error(run("ask", "--school", "wakefield", FRIEND_REQUEST), "unknown school 'wakefield'",
                       "known schools: huxley")
    # --knowledge beats the environment.
    assert "wakefield" in ok("schools", "--knowledge", str(knowledge_dir)).stdout


def test_the_database_url_env_var_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'elsewhere' / 'other.db'}"
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", other)
    ok("ask", "--school", "huxley", NONSENSE)
    assert [e.question for e in log_entries(other)] == [NONSENSE]
    assert not (tmp_path / "data").exists()  # the default sqlite:///data/policybot.db was not used


# --- the real entry point -----------------------------------------------------------------------------------


def _policybot() -> list[str]:
    """``uv run policybot`` as a user types it; without uv, the console script installed in this venv."""
    if shutil.which("uv"):
        return ["uv", "run", "--quiet", "--project", str(REPO_ROOT), "policybot"]
    return [str(Path(sys.executable).with_name("policybot"))]


def _subprocess(tmp_path: Path, db_url: str, knowledge_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "POLICYBOT_DATABASE_URL": db_url, "POLICYBOT_KNOWLEDGE_DIR": str(knowledge_dir)}
    return subprocess.run([*_policybot(), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_installed_entry_point_answers(tmp_path: Path, db_url: str, knowledge_dir: Path) -> None:
    done = _subprocess(tmp_path, db_url, knowledge_dir, "ask", "--school", "huxley", "--json", FRIEND_REQUEST)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert set(answer) == ANSWER_KEYS
    assert "4.6" in [c["ref"] for c in answer["clauses"]]
    assert answer["contact"]["email"] == "hr@huxley.example.org"


def test_the_installed_entry_point_fails_cleanly(tmp_path: Path, db_url: str, knowledge_dir: Path) -> None:
    done = _subprocess(tmp_path, db_url, knowledge_dir, "ask", "--school", "narnia", FRIEND_REQUEST)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Error: unknown school 'narnia'; known schools: hampshire, herefordshire, huxley, st-elisabeths, wakefield"
    ]


def test_log_purge_deletes_every_stored_question_not_just_the_unanswered_log(db_url: str) -> None:
    engine = make_engine(db_url)
    create_schema(engine)
    feedback = SqlFeedbackLog(engine)
    feedback.add(Feedback(created_at=datetime.now(UTC) - timedelta(days=40), school="huxley", question="old",
                          verdict=Verdict.NOT_HELPFUL, channel=Channel.SLACK))
    feedback.add(Feedback(created_at=datetime.now(UTC), school="huxley", question="new",
                          verdict=Verdict.HELPFUL, channel=Channel.TEAMS))
    with engine.begin() as conn:
        conn.execute(kept_questions.insert().values(ref="r1", school="huxley", question="x" * 3000,
                                                    created_at=datetime.now(UTC) - timedelta(days=40)))
    out = ok("log", "purge", "--older-than", "30").stdout
    assert out.startswith("deleted 2 entries older than 30 days")
    assert "feedback: 1" in out and "kept_questions: 1" in out
    assert ["new"] == [f.question for f in feedback.list()]
