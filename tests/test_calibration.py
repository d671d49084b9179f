"""Calibrating when to abstain: bot.calibration.calibrate, the ``policybot calibrate`` command, and the
retrieval settings file it writes (bot.retrieval_settings).

A calibration sweeps 505 thresholds, so the tests use a handful of questions and run it as few times
as they can: once on the real knowledge base, and twice through the CLI on a one-school copy.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from adapters.cli.main import cli
from adapters.cli.render import answer_json
from bot.answering import answer_question, coverage, rank
from bot.calibration import Calibration, calibrate, margin
from bot.config import KnowledgeError
from bot.evaluation import BARS
from bot.ingest.readers import read_document
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.question import parse_question
from bot.retrieval_settings import SETTINGS_FILE, RetrievalSettings, load_retrieval_settings, save_calibration

TODAY = date(2025, 1, 15)
# Two plainly answerable questions, three plainly unanswerable ones and a safeguarding concern.
QUESTIONS: list[dict[str, Any]] = [
    {"id": "q1", "school": "huxley", "question": "can I accept a parent's friend request on facebook?",
     "kind": "answerable", "expect": ["You must not accept students or their parents /carers as friends"],
     "contacts": ["hr"]},
    {"id": "q2", "school": "hampshire", "question": "is it ok to post my views on the election on my twitter?",
     "kind": "answerable",
     "expect": ["material published must not be for party political purposes"],
     "contacts": ["senior_leadership"]},
    {"id": "q3", "school": "hampshire",
     "question": "can I carry over unused annual leave days into the next holiday year?",
     "kind": "unanswerable", "expect": [], "contacts": ["senior_leadership"]},
    {"id": "q4", "school": "hampshire",
     "question": "where do visitors park for the christmas fayre?",
     "kind": "unanswerable", "expect": [], "contacts": ["senior_leadership"]},
    {"id": "q5", "school": "huxley", "question": "who do I see about getting my mileage paid for the cpd day?",
     "kind": "unanswerable", "expect": [], "contacts": ["hr"]},
    {"id": "q6", "school": "hampshire",
     "question": "a year 10 girl told me she has been cutting herself, what do I do?",
     "kind": "safeguarding",
     "expect": ["Where staff have concerns about e-safety, these should be raised with the Headteacher"],
     "contacts": ["headteacher"]},
]
UNKNOWN_WEIGHTS = {1.0, 1.25, 1.5, 2.0, 3.0}
STEP = 0.01


def sources(kb: KnowledgeBase, folder: Path, schools: set[str]) -> dict[str, str]:
    return {school: "\n".join(read_document(folder / school / policy.file)
                              for policy in kb.school(school).config.policies)
            for school in schools}


def best_coverage(kb: KnowledgeBase, row: dict[str, Any], unknown_weight: float) -> float:
    school = kb.school(row["school"])
    query = parse_question(row["question"], kb.synonyms, kb.speller)
    hits = rank(kb, school, query, school.index.scores(query.concepts), 1)
    return coverage(query, school, hits[0], unknown_weight) if hits else 0.0


@pytest.fixture(scope="module")
def calibration(knowledge: KnowledgeBase, knowledge_dir: Path) -> Calibration:
    # Every threshold re-reads the sources, so only the schools asked about are passed (the check for
    # quotes from another school then looks only among those two).
    asked = {q["school"] for q in QUESTIONS}
    return calibrate(knowledge, QUESTIONS, sources(knowledge, knowledge_dir, asked), TODAY, answer_json)


# --- calibrate() ------------------------------------------------------------------------------------


def test_calibrating_by_words_sets_the_two_abstention_settings(calibration: Calibration) -> None:
    assert not calibration.semantic
    assert set(calibration.settings()) == {"min_coverage", "unknown_weight"}


def test_calibrated_settings_are_within_their_bounds(
    knowledge: KnowledgeBase, calibration: Calibration
) -> None:
    settings = calibration.settings()
    assert 0 <= settings["min_coverage"] <= 1
    assert settings["unknown_weight"] in UNKNOWN_WEIGHTS
    # Validating them as a whole settings file raises if any is out of bounds.
    RetrievalSettings.model_validate({**knowledge.settings.model_dump(), **settings})


def test_calibration_reports_every_quality_metric(calibration: Calibration) -> None:
    assert set(BARS) <= set(calibration.metrics)
    assert calibration.metrics["questions"] == len(QUESTIONS)


def test_a_separable_question_set_is_calibrated_to_answer_and_abstain_correctly(
    calibration: Calibration,
) -> None:
    assert calibration.met_false_abstain_bar
    assert calibration.metrics["false_abstain_rate_max"] == 0.0
    assert calibration.metrics["abstain_on_unanswerable"] == 1.0
    assert calibration.metrics["misses"] == []


def test_the_threshold_is_the_lowest_that_abstains_on_every_unanswerable_question(
    knowledge: KnowledgeBase, calibration: Calibration
) -> None:
    """Ties go to the plainer setting: the lowest threshold that does the job."""
    weight = calibration.unknown_weight
    unanswerable = max(best_coverage(knowledge, q, weight) for q in QUESTIONS if q["kind"] == "unanswerable")
    answerable = min(best_coverage(knowledge, q, weight) for q in QUESTIONS if q["kind"] == "answerable")
    assert unanswerable < calibration.min_coverage <= answerable
    assert calibration.min_coverage - STEP <= unanswerable + 1e-9


def test_answering_with_the_calibrated_settings_gives_the_calibrated_behaviour(
    knowledge: KnowledgeBase, calibration: Calibration
) -> None:
    calibrated = replace(knowledge, settings=knowledge.settings.model_copy(update=calibration.settings()))
    for q in QUESTIONS:
        answer = answer_question(calibrated, calibrated.school(q["school"]), q["question"], TODAY)
        assert answer.answered == (q["kind"] != "unanswerable"), q["question"]


def test_a_semantic_calibration_sets_the_semantic_settings() -> None:
    result = Calibration(semantic=True, min_coverage=0.2, unknown_weight=1.5, semantic_weight=0.7,
                         metrics={}, met_false_abstain_bar=True)
    assert result.settings() == {"semantic_weight": 0.7, "semantic_min_coverage": 0.2,
                                 "semantic_unknown_weight": 1.5}


# --- policybot calibrate ----------------------------------------------------------------------------

CLI_SCHOOL = "hampshire"


@pytest.fixture
def small_knowledge(knowledge_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the knowledge folder with only the school the questions ask about (a faster sweep)."""
    for folder in knowledge_copy.iterdir():
        if folder.is_dir() and folder.name != CLI_SCHOOL:
            shutil.rmtree(folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POLICYBOT_SEMANTIC", "false")  # rank by words whatever is installed
    monkeypatch.setenv("POLICYBOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    return knowledge_copy


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    rows = [q for q in QUESTIONS if q["school"] == CLI_SCHOOL]
    assert {q["kind"] for q in rows} == {"answerable", "unanswerable", "safeguarding"}
    path.write_text("".join(json.dumps(q) + "\n" for q in rows), encoding="utf-8")
    return path


def run_calibrate(knowledge: Path, questions: Path, *options: str) -> Result:
    result = CliRunner().invoke(cli, ["calibrate", str(questions), "--knowledge", str(knowledge), *options])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def printed_settings(output: str) -> dict[str, float]:
    first = output.splitlines()[0]
    assert first.startswith("ranking by words: "), first
    pairs = first.removeprefix("ranking by words: ").split(", ")
    return {name: float(value) for name, value in (pair.split(" = ") for pair in pairs)}


def test_calibrate_dry_run_prints_the_settings_and_metrics_and_writes_nothing(
    small_knowledge: Path, questions_file: Path
) -> None:
    settings_file = small_knowledge / SETTINGS_FILE
    before = settings_file.read_bytes()
    result = run_calibrate(small_knowledge, questions_file, "--dry-run")

    found = printed_settings(result.stdout)
    assert set(found) == {"min_coverage", "unknown_weight"}
    assert 0 <= found["min_coverage"] <= 1 and found["unknown_weight"] in UNKNOWN_WEIGHTS
    metrics = json.loads(result.stdout[result.stdout.index("{"):])
    assert set(BARS) <= set(metrics) and "misses" not in metrics
    assert "written to" not in result.stdout
    assert settings_file.read_bytes() == before


def test_calibrate_writes_settings_that_load_and_keeps_the_others(
    small_knowledge: Path, questions_file: Path
) -> None:
    old = load_retrieval_settings(small_knowledge)
    result = run_calibrate(small_knowledge, questions_file, "--write")
    found = printed_settings(result.stdout)
    assert f"written to {small_knowledge / SETTINGS_FILE}" in result.stdout

    text = (small_knowledge / SETTINGS_FILE).read_text(encoding="utf-8")
    assert text.startswith("# Retrieval settings.")
    assert f"`policybot calibrate {questions_file.name}`" in text
    new = load_retrieval_settings(small_knowledge)
    assert new.min_coverage == pytest.approx(found["min_coverage"])
    assert new.unknown_weight == found["unknown_weight"]
    untouched = set(RetrievalSettings.model_fields) - {"min_coverage", "unknown_weight"}
    assert {k: getattr(new, k) for k in untouched} == {k: getattr(old, k) for k in untouched}
    # The whole knowledge folder still loads with what was written.
    assert load_knowledge(small_knowledge).settings == new


# --- retrieval.yaml ---------------------------------------------------------------------------------


def test_the_real_settings_file_loads(knowledge: KnowledgeBase, knowledge_dir: Path) -> None:
    assert load_retrieval_settings(knowledge_dir) == knowledge.settings


def test_a_missing_or_empty_settings_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_retrieval_settings(tmp_path) == RetrievalSettings()
    (tmp_path / SETTINGS_FILE).write_text("# nothing set yet\n", encoding="utf-8")
    assert load_retrieval_settings(tmp_path) == RetrievalSettings()


def test_saved_settings_load_back_with_the_others_kept(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("context_weight: 0.3\nmax_clauses: 2\nmin_coverage: 0.9\n",
                                          encoding="utf-8")
    path = save_calibration(tmp_path, {"min_coverage": 0.31, "unknown_weight": 2.0}, "dev.jsonl")
    assert path == tmp_path / SETTINGS_FILE
    loaded = load_retrieval_settings(tmp_path)
    assert loaded == RetrievalSettings(context_weight=0.3, max_clauses=2, min_coverage=0.31,
                                       unknown_weight=2.0)


def test_saving_writes_one_header_comment_naming_the_question_file(tmp_path: Path) -> None:
    save_calibration(tmp_path, {"min_coverage": 0.3}, "first.jsonl")
    save_calibration(tmp_path, {"min_coverage": 0.4}, "second.jsonl")
    text = (tmp_path / SETTINGS_FILE).read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments and text.startswith(comments[0])
    assert text.count("# Retrieval settings.") == 1
    assert "`policybot calibrate second.jsonl`" in text and "first.jsonl" not in text
    # Below the header, plain YAML of every setting in declaration order.
    assert list(yaml.safe_load(text)) == list(RetrievalSettings.model_fields)
    assert load_retrieval_settings(tmp_path).min_coverage == 0.4


def test_an_unknown_setting_is_rejected_naming_the_file_and_the_key(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("min_coverage: 0.3\nmin_coverag: 0.4\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_retrieval_settings(tmp_path)
    assert str(tmp_path / SETTINGS_FILE) in str(caught.value)
    assert "min_coverag" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "field"),
    [("min_coverage: 1.5\n", "min_coverage"), ("unknown_weight: 0.5\n", "unknown_weight"),
     ("sentence_weight: -0.1\n", "sentence_weight"), ("max_clauses: 0\n", "max_clauses")],
)
def test_a_setting_out_of_bounds_is_rejected(tmp_path: Path, text: str, field: str) -> None:
    (tmp_path / SETTINGS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=field):
        load_retrieval_settings(tmp_path)


def test_abstention_settings_depend_on_the_ranking_mode() -> None:
    settings = RetrievalSettings(min_coverage=0.3, unknown_weight=1.25, semantic_min_coverage=0.2,
                                 semantic_unknown_weight=2.0)
    assert settings.abstention(semantic=False) == (0.3, 1.25)
    assert settings.abstention(semantic=True) == (0.2, 2.0)


def test_room_to_the_bars_is_measured_from_the_nearest_bar_the_threshold_moves() -> None:
    close = {"hit_at_1": 0.601, "hit_at_3": 0.95, "abstain_on_unanswerable": 0.95, "false_abstain_rate_max": 0.0}
    roomy = {**close, "hit_at_1": 0.61, "abstain_on_unanswerable": 0.85}
    assert margin(close) == pytest.approx(0.001)
    assert margin(roomy) == pytest.approx(0.01)
    assert margin({**roomy, "false_abstain_rate_max": 0.09}) == pytest.approx(-0.01)
