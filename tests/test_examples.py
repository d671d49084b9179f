"""Example questions (bot.examples, ``knowledge/<school>/examples.yaml``): how a school's clauses have
been asked about, read from the file, filed under the clauses they quote, used by the index and by
coverage, and grown with ``policybot learn``.

A small school built in tmp_path makes the effect visible: its policy shares no word with the
questions asked, so without examples the bot can only abstain.
"""
from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from adapters.cli.main import cli
from bot.answering import answer_question
from bot.config import KnowledgeError
from bot.examples import (
    EXAMPLES_FILE,
    ClauseExamples,
    content_words,
    examples_by_clause,
    learn,
    near_copy,
    read_examples,
    write_examples,
)
from bot.index import ClauseIndex
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.models import Clause

TODAY = date(2025, 1, 15)
POLICY = """1. Conduct

1.1 Staff must not accept gifts from parents or carers.

1.2 Staff must not give their personal mobile number to pupils.

1.3 Photographs of pupils may be taken on school cameras only.

1.4 The car park closes at six every evening.

1.5 Lunch is served in the hall from noon.

1.6 Visitors sign in at reception on arrival.
"""
MOBILE = "must not give their personal mobile number"
SNAP = "a kid asked for my snap, can I give it him?"


def school_folder(root: Path, examples: str | None = None) -> Path:
    folder = root / "alpha"
    folder.mkdir(parents=True)
    (folder / "school.yaml").write_text(yaml.safe_dump({
        "name": "Alpha School", "default_contact": "hr", "safeguarding_contact": "hr",
        "contacts": {"hr": {"name": "HR", "email": "hr@alpha.example.org"}},
        "policies": [{"file": "policy.txt", "title": "Staff Conduct Policy"}],
    }), encoding="utf-8")
    (folder / "policy.txt").write_text(POLICY, encoding="utf-8")
    if examples is not None:
        (folder / EXAMPLES_FILE).write_text(examples, encoding="utf-8")
    return root


def ask(kb: KnowledgeBase, question: str) -> list[str]:
    """The refs of the clauses quoted, best first (empty when the bot abstains)."""
    answer = answer_question(kb, kb.school("alpha"), question, TODAY)
    return [q.clause.ref for q in answer.clauses] if answer.answered else []


# --- answering with examples ------------------------------------------------------------------------


def test_a_question_in_staff_words_finds_the_clause_that_answered_it_before(tmp_path: Path) -> None:
    assert [] == ask(load_knowledge(school_folder(tmp_path / "without")), "can I add a kid on snap?")
    kb = load_knowledge(school_folder(tmp_path / "with", f"- clause: {MOBILE}\n  asked: ['{SNAP}']\n"))
    assert "1.2" == ask(kb, "can I add a kid on snap?")[0]


def test_one_stray_word_of_an_example_does_not_make_a_question_answerable(tmp_path: Path) -> None:
    examples = (f"- clause: {MOBILE}\n  asked: ['a mum leaves her kids home alone all night']\n"
                "- clause: car park closes at six\n  asked: ['who locks up at the end of the day?']\n")
    kb = load_knowledge(school_folder(tmp_path, examples))
    # "leave" and "day" each appear in an example, but in different ones, and neither example is
    # this question: the bot must still say it does not know.
    assert [] == ask(kb, "how many days annual leave do I get?")
    assert "1.4" == ask(kb, "what time does the car park get locked up at the end of the day?")[0]


def test_without_an_examples_weight_the_examples_are_not_used(tmp_path: Path) -> None:
    root = school_folder(tmp_path, f"- clause: {MOBILE}\n  asked: ['{SNAP}']\n")
    (root / "retrieval.yaml").write_text("example_weight: 0\n", encoding="utf-8")
    assert [] == ask(load_knowledge(root), "can I add a kid on snap?")


# --- reading the file --------------------------------------------------------------------------------


def test_no_examples_file_means_no_examples(tmp_path: Path) -> None:
    assert [] == read_examples(tmp_path / EXAMPLES_FILE)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- clause: [\n", "not valid YAML"),
        ("clause: staff must not\n", "expected a list of '- clause: <quote>' entries"),
        (f"- clause: {MOBILE}\n", "entry 1, asked"),
        (f"- clause: {MOBILE}\n  asked: []\n", "entry 1, asked"),
        (f"- clause: {MOBILE}\n  asked: ['   ']\n", "entry 1, asked.0"),
        (f"- clause: {MOBILE}\n  asked: [x]\n- clause: mobile\n  asked: [y]\n",
         "entry 2, clause: Value error, quote at least 3 words"),
        (f"- clause: {MOBILE}\n  asked: [x]\n  answer: yes\n", "entry 1, answer"),
    ],
)
def test_a_malformed_examples_file_stops_loading_and_says_where(tmp_path: Path, text: str, problem: str) -> None:
    root = school_folder(tmp_path, text)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    assert str(root / "alpha" / EXAMPLES_FILE) in str(raised.value)
    assert problem in str(raised.value)


def clause(ref: str, text: str) -> Clause:
    return Clause(id=f"alpha/policy.txt#{ref}", school="alpha", policy="Policy", ref=ref, heading="", text=text)


def test_a_quote_is_found_whatever_its_case_quotes_and_spacing(tmp_path: Path) -> None:
    clauses = [clause("1", "Staff must not accept “friend” requests from pupils."), clause("2", "Other text here.")]
    entries = [ClauseExamples(clause="ACCEPT  \"friend\"\nrequests", asked=["can I add a year 9?"])]
    assert [["can I add a year 9?"], []] == examples_by_clause(entries, clauses, tmp_path / EXAMPLES_FILE)


def test_a_quote_found_in_two_clauses_belongs_to_both(tmp_path: Path) -> None:
    clauses = [clause("1", "Report it to the Headteacher today."), clause("2", "Then report it to the Headteacher.")]
    entries = [ClauseExamples(clause="report it to the headteacher", asked=["who do I tell?"])]
    assert [["who do I tell?"], ["who do I tell?"]] == examples_by_clause(entries, clauses, tmp_path / "x.yaml")


def test_a_stale_quote_is_reported_and_skipped_and_the_school_still_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    examples = (f"- clause: {MOBILE}\n  asked: ['{SNAP}']\n"
                "- clause: staff may bring their dogs to school\n  asked: ['can my dog come in?']\n")
    root = school_folder(tmp_path, examples)
    with caplog.at_level(logging.WARNING, logger="bot.examples"):
        kb = load_knowledge(root)
    assert "1.2" == ask(kb, "can I add a kid on snap?")[0]
    [record] = caplog.records
    assert str(root / "alpha" / EXAMPLES_FILE) in record.getMessage()
    assert "staff may bring their dogs to school" in record.getMessage()
    assert "1 example question(s) are not used" in record.getMessage()


def test_the_index_checks_it_has_one_list_of_examples_per_clause() -> None:
    clauses = [clause("1", "Staff must not accept gifts."), clause("2", "Other text here.")]
    with pytest.raises(ValueError, match="1 example lists for 2 clauses"):
        ClauseIndex(clauses, 0.4, 0.5, [["a question"]], 0.3)


# --- learning ---------------------------------------------------------------------------------------

CLAUSES = [clause("1", "Staff must not give their personal mobile number to pupils."),
           clause("2", "Photographs of pupils may be taken on school cameras only.")]


def test_learn_files_each_question_under_its_quotes_once() -> None:
    existing = [ClauseExamples(clause="personal mobile number", asked=["can a kid have my number?"])]
    asked = [
        ("Can a kid have my NUMBER?", ["personal mobile number"]),  # already there, in other case
        ("kid asked for my snap", ["Personal  mobile number"]),  # same quote, other spacing
        ("can I take pics on my phone?", ["taken on school cameras", "on school cameras only"]),
        ("what about tiktok?", ["tiktok is banned for staff"]),
        ("who?", ["pupils"]),
    ]
    entries, added, skipped = learn(existing, asked, CLAUSES)
    assert 3 == added
    assert [
        ("personal mobile number", ["can a kid have my number?", "kid asked for my snap"]),
        ("taken on school cameras", ["can I take pics on my phone?"]),
        ("on school cameras only", ["can I take pics on my phone?"]),
    ] == [(e.clause, e.asked) for e in entries]
    assert {"tiktok is banned for staff": "not in any clause", "pupils": "shorter than 3 words"} == skipped


def test_a_near_copy_of_a_measured_question_is_recognised() -> None:
    measured = [content_words("can I give a parent my mobile number?")]
    assert near_copy(content_words("can i give parents my mobile number"), measured)
    assert not near_copy(content_words("a parent wants my mobile, is that ok?"), measured, threshold=0.8)
    assert not near_copy(content_words("can I post photos of the school trip?"), measured)
    assert not near_copy(content_words("?"), measured)


def test_written_examples_read_back_the_same(tmp_path: Path) -> None:
    entries = [ClauseExamples(clause="personal mobile number", asked=["can Zoë have my number?", "a: b"])]
    path = tmp_path / EXAMPLES_FILE
    write_examples(path, entries)
    assert entries == read_examples(path)
    assert path.read_text(encoding="utf-8").startswith("# Questions staff have asked")
    assert [EXAMPLES_FILE] == [p.name for p in tmp_path.iterdir()]  # no temporary file left behind


def test_policybot_learn_writes_examples_and_leaves_out_measured_questions(tmp_path: Path) -> None:
    root = school_folder(tmp_path / "knowledge")
    rows = [
        {"school": "alpha", "question": "kid asked for my snap", "kind": "answerable", "expect": [MOBILE]},
        {"school": "alpha", "question": "can I give a parent my mobile number?", "kind": "answerable",
         "expect": [MOBILE]},
        {"school": "alpha", "question": "when is sports day?", "kind": "unanswerable", "expect": []},
    ]
    questions = tmp_path / "ours.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    measured = tmp_path / "measured.jsonl"
    measured.write_text(json.dumps({"school": "alpha", "question": "can I give parents my mobile number",
                                    "kind": "answerable"}), encoding="utf-8")
    args = ["learn", str(questions), "--exclude", str(measured), "--knowledge", str(root)]

    dry = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert 0 == dry.exit_code, dry.output
    assert not (root / "alpha" / EXAMPLES_FILE).exists()

    first = CliRunner().invoke(cli, args)
    assert 0 == first.exit_code, first.output
    assert "1 of 2 questions left out: too close to a measured one" in first.output
    assert "alpha: 1 example question(s) added under 1 clause quote(s)" in first.output
    assert [ClauseExamples(clause=MOBILE, asked=["kid asked for my snap"])] == read_examples(
        root / "alpha" / EXAMPLES_FILE)
    assert "1.2" == ask(load_knowledge(root), "can I add a kid on snap?")[0]

    again = CliRunner().invoke(cli, args)
    assert "alpha: 0 example question(s) added" in again.output
