"""bot.evaluation on made-up schools small enough to score by hand, and against the product owner's scorer."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from bot.evaluation import BARS, below_bars, load_questions, normalise, score

# Raw text, as a school's documents would be extracted: bullets, curly quotes, emphasis, odd spacing.
POLICIES = {
    "oak": (
        "4.1 Staff must not use personal social media during lessons.\n"
        "\u2022\tStaff may use the \u201cstaff room\u201d phone in an emergency.\n"
        "5.2 Report **any** safeguarding concern to the Designated Safeguarding Lead the same day.\n"
    ),
    "elm": (
        "2.1 Personal phones may be used at break times only.\n"
        "3.4 Safeguarding concerns go to the DSL straight away.\n"
        "6.1 Visitors sign in at reception.\n"
    ),
    # Shares oak's 4.1 word for word, so quoting it to an oak question is not foreign.
    "ash": "1.1 Staff must not use personal social media during lessons.\n"
           "1.2 Lanyards are worn at all times.\n",
}
OAK_41 = "Staff must not use personal social media during lessons."
ELM_21 = "Personal phones may be used at break times only."
ELM_34 = "Safeguarding concerns go to the DSL straight away."
INVENTED = "Staff must report concerns to the police."


def q(id: str, school: str, kind: str, expect: list[str], contacts: list[str]) -> dict:
    return {"id": id, "school": school, "question": f"made-up question {id}", "kind": kind,
            "expect": expect, "contacts": contacts}


def a(clauses: list[str], role: str | None, answered: bool = True, logged: bool = False) -> dict:
    return {"answered": answered, "clauses": [{"text": t} for t in clauses],
            "contact": {"role": role} if role else None, "logged": logged}


QUESTIONS = [
    q("contrast-phones-oak", "oak", "answerable", ["must not use personal social media"], ["headteacher"]),
    q("contrast-phones-elm", "elm", "answerable", ["may be used at break times"], ["hr"]),
    q("staffroom-oak", "oak", "answerable", ['the "staff room" phone'], ["hr"]),
    q("safe-oak", "oak", "safeguarding", ["report any safeguarding concern"], ["dsl"]),
    q("unans-oak", "oak", "unanswerable", [], ["hr"]),
    q("unans-elm", "elm", "unanswerable", [], ["headteacher"]),
    q("safe-elm", "elm", "safeguarding", ["go to the DSL straight away"], ["dsl"]),
]
ANSWERS = [
    # rank 1; extra spaces still verbatim
    a(["Staff must not use personal   social\nmedia during lessons."], "headteacher"),
    # rank 2; the first quote is oak's text shown to an elm question: not verbatim, foreign
    a([OAK_41, ELM_21], "line_manager"),
    # abstained, and logged for the policy owner
    a([], "hr", answered=False, logged=True),
    # rank 3; bullet, curly quotes and ** dropped from the quotes still count as verbatim
    a([OAK_41, "Staff may use the \"staff room\" phone in an emergency.",
       "Report any safeguarding concern to the designated safeguarding lead the same day."], "dsl"),
    # abstained correctly, not logged
    a([], "hr", answered=False),
    # answered an unanswerable question, wrong contact
    a([ELM_34], "it"),
    # rank 5: counts for MRR only; top 3 = invented (not verbatim), own (verbatim), oak's (foreign)
    a([INVENTED, "Visitors sign in at reception.", OAK_41, ELM_21, ELM_34], "headteacher"),
]


def test_score_matches_hand_computed_metrics() -> None:
    assert score(QUESTIONS, ANSWERS, POLICIES) == {
        "questions": 7,
        "hit_at_1": 0.2,                    # 1 of 5 answerable (safeguarding included)
        "hit_at_3": 0.6,                    # ranks 1, 2, 3
        "mrr_at_5": 0.4067,                 # (1 + 1/2 + 1/3 + 1/5) / 5
        "false_abstain_rate_max": 0.2,      # staffroom-oak
        "abstain_on_unanswerable": 0.5,     # unans-oak yes, unans-elm no
        "contact_accuracy": 0.6,            # wrong on contrast-phones-elm and safe-elm
        "unanswerable_contact_accuracy": 0.5,
        "safeguarding_hit_at_3": 0.5,
        "safeguarding_contact_accuracy": 0.5,
        "contrast_hit_at_3": 1.0,
        "verbatim_quote_rate": 0.7,         # 7 of the 10 quotes in the top 3s
        "foreign_school_quote_rate_max": 0.2,  # OAK_41 given to elm, twice
        "abstentions_logged": 1,
        "misses": [
            "staffroom-oak: abstained",
            "unans-elm: answered an unanswerable question",
            "safe-elm: expected clause not in top 3",
        ],
    }


@pytest.mark.parametrize(("raw", "expected"), [
    ("\u201cQuoted\u201d \u2018words\u2019", "\"quoted\" 'words'"),
    ("\u2022\tFirst\u00a0item", "first item"),
    ("\uf0b7 Symbol-font bullet \u25aa and \u25cf", "symbol-font bullet and"),
    ("**Must** not \u2013 ever \u2014 do   this\n\n", "must not - ever - do this"),
    ("", ""),
])
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_verbatim_ignores_formatting_but_not_wording() -> None:
    questions = [q("x", "oak", "answerable", ["staff room"], ["hr"])]
    formatted = "  STAFF may use the \"staff room\"\tphone in an emergency. "
    reworded = "Staff may use the staff room phone in an emergency."  # quotes dropped: a word changed
    reordered = "In an emergency staff may use the 'staff room' phone."
    result = score(questions, [a([formatted, reworded, reordered], "hr")], POLICIES)
    assert result["verbatim_quote_rate"] == round(1 / 3, 4)


def test_only_the_top_three_quotes_are_checked() -> None:
    questions = [q("x", "elm", "answerable", ["visitors"], ["hr"])]
    result = score(questions, [a([ELM_21, ELM_34, ELM_21, INVENTED, INVENTED], "hr")], POLICIES)
    assert result["verbatim_quote_rate"] == 1.0


def test_foreign_quote_is_one_found_only_in_another_schools_policy() -> None:
    questions = [q("x", "oak", "answerable", ["lanyards"], ["hr"])]
    # shared with ash but in oak's own policy / only ash's / nobody's
    result = score(questions, [a([OAK_41, "Lanyards are worn at all times.", INVENTED], "hr")], POLICIES)
    assert result["foreign_school_quote_rate_max"] == round(1 / 3, 4)
    assert result["verbatim_quote_rate"] == round(1 / 3, 4)


def test_contrast_counts_only_ids_starting_contrast() -> None:
    questions = [q("contrast-a", "elm", "answerable", ["break times"], ["hr"]),
                 q("contrast-b", "oak", "answerable", ["staff room"], ["hr"]),
                 q("not-contrast-c", "elm", "answerable", ["reception"], ["hr"])]
    answers = [a([ELM_21], "hr"), a([OAK_41], "hr"), a([ELM_34], "hr")]
    result = score(questions, answers, POLICIES)
    assert result["contrast_hit_at_3"] == 0.5
    assert result["hit_at_3"] == round(1 / 3, 4)


def test_safeguarding_questions_also_count_as_answerable() -> None:
    questions = [q("s", "elm", "safeguarding", ["straight away"], ["dsl", "lado"]),
                 q("t", "oak", "answerable", ["break times"], ["hr"])]
    answers = [a([ELM_34], "lado"), a([OAK_41], "dsl")]
    result = score(questions, answers, POLICIES)
    assert (result["safeguarding_hit_at_3"], result["safeguarding_contact_accuracy"]) == (1.0, 1.0)
    assert (result["hit_at_1"], result["contact_accuracy"]) == (0.5, 0.5)


def test_logged_counts_only_abstentions_and_ids_are_optional() -> None:
    questions = [{"school": "oak", "question": "made up", "kind": "answerable", "expect": ["x"]}] * 3
    answers = [a([], None, answered=False, logged=True), a([OAK_41], None, logged=True),
               a([], None, answered=False)]
    result = score(questions, answers, POLICIES)
    assert result["abstentions_logged"] == 1
    assert result["misses"][0] == "question 1: abstained"


def test_no_questions_of_a_kind_scores_zero_not_an_error() -> None:
    result = score([], [], POLICIES)
    assert result["questions"] == 0
    assert result["hit_at_3"] == result["abstain_on_unanswerable"] == result["verbatim_quote_rate"] == 0.0


def test_answers_must_pair_with_questions() -> None:
    with pytest.raises(ValueError, match="7 questions but 6 answers"):
        score(QUESTIONS, ANSWERS[:-1], POLICIES)


def test_load_questions_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(["", json.dumps(QUESTIONS[0]), "   ", json.dumps(QUESTIONS[4]), ""]))
    assert load_questions(path) == [QUESTIONS[0], QUESTIONS[4]]


@pytest.mark.parametrize(("line", "error"), [
    ('{"school": "oak", "question": "q",', r"q\.jsonl:2: not JSON: "),
    ('["oak", "q", "answerable"]', r"q\.jsonl:2: expected a JSON object, got list"),
    ('{"question": "q", "kind": "answerable"}', r"q\.jsonl:2: missing school"),
    ('{"school": "oak", "question": "", "kind": "answerable"}', r"q\.jsonl:2: missing question"),
    ('{"school": "oak", "question": "q"}', r"q\.jsonl:2: missing kind"),
    ('{"school": "oak", "question": "q", "kind": "maybe"}', r"q\.jsonl:2: kind 'maybe' is not one of"),
])
def test_load_questions_names_the_bad_line(tmp_path: Path, line: str, error: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(QUESTIONS[0]) + "\n" + line + "\n")
    with pytest.raises(ValueError, match=error):
        load_questions(path)


def test_below_bars_passes_at_the_bars_exactly() -> None:
    assert below_bars(dict(BARS)) == []


@pytest.mark.parametrize(("name", "got", "failure"), [
    ("hit_at_3", 0.79, "hit_at_3=0.79 (bar 0.8)"),
    ("safeguarding_contact_accuracy", 0.9, "safeguarding_contact_accuracy=0.9 (bar 1.0)"),
    ("false_abstain_rate_max", 0.09, "false_abstain_rate_max=0.09 (bar 0.08)"),
    ("foreign_school_quote_rate_max", 0.01, "foreign_school_quote_rate_max=0.01 (bar 0.0)"),
])
def test_below_bars_lower_and_upper_bounds(name: str, got: float, failure: str) -> None:
    assert below_bars({**BARS, name: got}) == [failure]


def test_below_bars_upper_bounds_pass_when_lower() -> None:
    assert below_bars({**BARS, "false_abstain_rate_max": 0.0, "hit_at_3": 1.0}) == []


def test_below_bars_on_a_real_result_and_custom_bars() -> None:
    result = score(QUESTIONS, ANSWERS, POLICIES)
    assert below_bars(result, {"hit_at_3": 0.6, "foreign_school_quote_rate_max": 0.1}) == [
        "foreign_school_quote_rate_max=0.2 (bar 0.1)"]
    with pytest.raises(ValueError, match="unknown metric 'hit_at_9'"):
        below_bars(result, {"hit_at_9": 0.5})


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"


@pytest.fixture
def reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The product owner's score.py, reading our made-up policies instead of the real ones."""
    if not REFERENCE.exists():
        pytest.skip(f"no reference scorer at {REFERENCE}")
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for school, text in POLICIES.items():
        (tmp_path / f"{school}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(module, "POLICIES", tmp_path)
    return module


@pytest.mark.parametrize("text", [
    "\u2022\u00a0 **Don\u2019t** \u201cshare\u201d \u2013 ever\t\n", "\uf0a7\uf0b7 x \u25aa\u25cf y",
    "a*b * c", "  ",
    "CAF\u00c9 \u2014 \u2026 \u00bd", "line\r\nbreak\u2028here",
])
def test_normalise_agrees_with_reference(reference, text: str) -> None:
    assert normalise(text) == reference.norm(text)


def test_score_agrees_with_reference(reference) -> None:
    assert score(QUESTIONS, ANSWERS, POLICIES) == reference.score(QUESTIONS, ANSWERS)
