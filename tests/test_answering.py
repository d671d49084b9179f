"""answer_question on the real knowledge base: own-school quotes only, safeguarding, review notes, contacts.

Retrieval and ranking are being tuned, so nothing here pins a score or a full ranking: only behaviour
(which school a quote comes from, that it is verbatim, who the contact is, which notes appear).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import messages
from bot.answering import QuestionError, answer_question, check_question
from bot.evaluation import normalise
from bot.knowledge import KnowledgeBase
from bot.models import Answer
from bot.roles import Role, routing_roles

SCHOOLS = ["hampshire", "herefordshire", "huxley", "st-elisabeths", "wakefield"]
# Every date is passed in explicitly, so no test changes its outcome as the calendar moves.
TODAY = date(2025, 1, 15)

FRIEND_REQUEST = "can I accept a parent's friend request on facebook?"
ORDINARY = [
    FRIEND_REQUEST,
    "can I post photos of pupils?",
    "can I use my personal phone to contact pupils?",
    "who do I report inappropriate content to",
    "can I criticise the school on twitter?",
]
SAFEGUARDING = [
    "a year 8 girl told me her stepdad hits her",
    "I found indecent images of children on a shared laptop",
    "I think a pupil is being radicalised online",
]
# No word of these is likely to be in any policy, so nothing matches: the answer is pure abstention.
NONSENSE = "qzxwvkj pfthrrbl zzyzxq gwkrtx?"


def _is_safeguarding_note(note: str) -> bool:
    return note.startswith("This may be a safeguarding concern")


def _review_notes(answer: Answer) -> list[str]:
    return [n for n in answer.notes if "was due for review on" in n]


@pytest.fixture(scope="module")
def sources(knowledge: KnowledgeBase, knowledge_dir: Path) -> dict[str, str]:
    """Each school's policy files as raw text, normalised the way the evaluation compares quotes."""
    return {
        school.id: normalise("\n".join((knowledge_dir / school.id / p.file).read_text(encoding="utf-8")
                                       for p in school.config.policies))
        for school in knowledge.schools.values()
    }


def ask(knowledge: KnowledgeBase, school_id: str, question: str, today: date = TODAY) -> Answer:
    return answer_question(knowledge, knowledge.school(school_id), question, today)


def test_the_five_sample_schools_are_loaded(knowledge: KnowledgeBase) -> None:
    assert sorted(knowledge.schools) == SCHOOLS


# --- only ever the asker's own school, word for word ----------------------------------------------


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_every_quote_comes_from_the_askers_own_school_word_for_word(
    knowledge: KnowledgeBase, sources: dict[str, str], school_id: str
) -> None:
    answered = 0
    for question in ORDINARY + SAFEGUARDING:
        answer = ask(knowledge, school_id, question)
        assert answer.school == school_id
        assert answer.school_name == knowledge.school(school_id).config.name
        answered += answer.answered
        for quoted in [*answer.clauses, *answer.candidates]:
            clause = quoted.clause
            assert clause.school == school_id, (question, clause.id)
            assert clause.id.startswith(f"{school_id}/"), (question, clause.id)
            assert normalise(clause.text) in sources[school_id], (question, clause.id, clause.text[:80])
    # Otherwise the checks above would be vacuous.
    assert answered >= 3, f"{school_id} answered only {answered} of {len(ORDINARY + SAFEGUARDING)}"


def test_the_same_question_at_two_schools_gets_each_schools_own_clauses(
    knowledge: KnowledgeBase, sources: dict[str, str]
) -> None:
    huxley = ask(knowledge, "huxley", FRIEND_REQUEST)
    st_elisabeths = ask(knowledge, "st-elisabeths", FRIEND_REQUEST)
    assert huxley.answered and st_elisabeths.answered

    assert {q.clause.school for q in huxley.clauses} == {"huxley"}
    assert {q.clause.school for q in st_elisabeths.clauses} == {"st-elisabeths"}
    # Huxley's own wording of the rule, clause 4.6.
    assert "4.6" in [q.clause.ref for q in huxley.clauses]
    assert any("You must not accept students or their parents /carers as friends" in q.clause.text
               for q in huxley.clauses)
    # Each answer is made of its own school's text, and the two share no clause.
    assert not {q.clause.id for q in huxley.clauses} & {q.clause.id for q in st_elisabeths.clauses}
    assert all(normalise(q.clause.text) in sources["huxley"] for q in huxley.clauses)
    assert all(normalise(q.clause.text) in sources["st-elisabeths"] for q in st_elisabeths.clauses)
    assert not any(normalise(q.clause.text) in sources["huxley"] for q in st_elisabeths.clauses)
    # And each is told to ask its own school's people.
    assert huxley.contact.email.endswith("@huxley.example.org")
    assert st_elisabeths.contact.email.endswith("@st-elisabeths.example.org")


# --- questions that cannot be asked -----------------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   ", "\n\t  \n"])
def test_check_question_rejects_an_empty_question(question: str) -> None:
    with pytest.raises(QuestionError) as caught:
        check_question(question)
    assert str(caught.value) == messages.empty_question()


def test_check_question_rejects_a_question_over_the_limit() -> None:
    with pytest.raises(QuestionError) as caught:
        check_question("a" * (messages.MAX_QUESTION_CHARS + 1))
    assert f"{messages.MAX_QUESTION_CHARS:,}" in str(caught.value)
    with pytest.raises(QuestionError):
        check_question("word " * 100_000)


def test_check_question_accepts_the_limit_and_tidies_whitespace() -> None:
    assert check_question("a" * messages.MAX_QUESTION_CHARS) == "a" * messages.MAX_QUESTION_CHARS
    assert check_question("  can I\n post   photos?\t") == "can I post photos?"


def test_answer_question_refuses_what_check_question_refuses(knowledge: KnowledgeBase) -> None:
    with pytest.raises(QuestionError):
        ask(knowledge, "huxley", "   ")
    with pytest.raises(QuestionError):
        ask(knowledge, "huxley", "x" * (messages.MAX_QUESTION_CHARS + 1))


def test_an_unanswerable_question_quotes_nothing_and_names_the_default_contact(knowledge: KnowledgeBase) -> None:
    for school_id in SCHOOLS:
        config = knowledge.school(school_id).config
        answer = ask(knowledge, school_id, NONSENSE, today=date(2099, 1, 1))
        assert not answer.answered
        assert answer.clauses == []
        assert answer.contact.role == config.default_contact
        # Notes belong to quoted policies: nothing quoted, no review note even long after review.
        assert answer.notes == []
        assert not answer.logged  # answer_question never logs; the service does


# --- safeguarding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("school_id", SCHOOLS)
@pytest.mark.parametrize("question", SAFEGUARDING)
def test_a_safeguarding_concern_goes_to_the_schools_safeguarding_contact_with_a_clause(
    knowledge: KnowledgeBase, school_id: str, question: str
) -> None:
    config = knowledge.school(school_id).config
    answer = ask(knowledge, school_id, question)
    assert answer.safeguarding
    assert answer.contact.role == config.safeguarding_contact
    assert answer.contact.email == config.contacts[config.safeguarding_contact].email
    assert messages.safeguarding_note(answer.contact) in answer.notes
    assert sum(_is_safeguarding_note(n) for n in answer.notes) == 1
    # Never only a reassurance: the policy's own words come with it.
    assert answer.answered and answer.clauses


@pytest.mark.parametrize("school_id", SCHOOLS)
@pytest.mark.parametrize("question", [
    "grooming",
    "extremism",
    "FGM",
])
def test_a_terse_safeguarding_concern_still_quotes_the_policy(
    knowledge: KnowledgeBase, school_id: str, question: str
) -> None:
    """However little of the question the policy matches, a concern about a child gets the route.

    (Regression: Huxley once quoted nothing for "grooming" / "extremism", Wakefield for "FGM".)
    """
    answer = ask(knowledge, school_id, question)
    assert answer.safeguarding
    assert answer.contact.role == knowledge.school(school_id).config.safeguarding_contact
    assert answer.clauses, f"{school_id}: a safeguarding concern got only the note: {answer.notes}"


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_an_ordinary_question_gets_no_safeguarding_note(knowledge: KnowledgeBase, school_id: str) -> None:
    for question in ORDINARY:
        answer = ask(knowledge, school_id, question)
        assert not answer.safeguarding, question
        assert not any(_is_safeguarding_note(n) for n in answer.notes), (question, answer.notes)


# --- review dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("school_id", ["hampshire", "herefordshire", "huxley", "wakefield"])
def test_the_review_note_appears_once_only_after_the_review_date(knowledge: KnowledgeBase, school_id: str) -> None:
    policy = knowledge.school(school_id).config.policies[0]
    assert policy.review is not None
    note = messages.review_overdue(policy.title, policy.review)

    after = ask(knowledge, school_id, FRIEND_REQUEST, today=date.fromordinal(policy.review.toordinal() + 1))
    assert after.answered
    assert after.notes.count(note) == 1
    assert _review_notes(after) == [note]

    for today in (policy.review, date.fromordinal(policy.review.toordinal() - 1)):
        answer = ask(knowledge, school_id, FRIEND_REQUEST, today=today)
        assert answer.answered
        assert _review_notes(answer) == [], today


def test_huxley_review_note_names_the_date(knowledge: KnowledgeBase) -> None:
    answer = ask(knowledge, "huxley", FRIEND_REQUEST, today=date(2024, 1, 1))
    assert _review_notes(answer) == [
        "The Social Media Policy was due for review on 17 July 2023; check with HR that it is still current."
    ]


def test_a_policy_without_a_review_date_never_gets_the_note(knowledge: KnowledgeBase) -> None:
    answer = ask(knowledge, "st-elisabeths", FRIEND_REQUEST, today=date(2099, 1, 1))
    assert answer.answered
    assert _review_notes(answer) == []


# --- who to contact -----------------------------------------------------------------------------------


def _routed(answer: Answer, knowledge: KnowledgeBase) -> list[Role]:
    contacts = knowledge.school(answer.school).config.contacts
    return [r for q in answer.clauses for r in routing_roles(f"{q.clause.lead_in or ''} {q.clause.text}")
            if r in contacts]


def test_herefordshire_inappropriate_content_goes_to_whom_the_clause_names(knowledge: KnowledgeBase) -> None:
    answer = ask(knowledge, "herefordshire", "who do I report inappropriate content to")
    assert answer.answered
    # Clause 7: "Staff should report any inappropriate content to their line manager or headteacher".
    assert any("report any inappropriate content to their line manager or headteacher" in q.clause.text
               for q in answer.clauses)
    assert answer.contact.role in {Role.LINE_MANAGER, Role.HEADTEACHER}
    assert answer.contact.role in _routed(answer, knowledge)


def test_a_role_named_in_the_quoted_clause_wins_over_the_default(knowledge: KnowledgeBase) -> None:
    # Huxley 4.4: "... unless expressly authorised to do so by your manager." Huxley's default is HR.
    answer = ask(knowledge, "huxley", "can I express opinions on behalf of the school on social media?")
    assert knowledge.school("huxley").config.default_contact == Role.HR
    assert "4.4" in [q.clause.ref for q in answer.clauses]
    assert answer.contact.role == Role.LINE_MANAGER
    assert answer.contact.email == "line-manager@huxley.example.org"


def test_a_title_case_role_in_the_clause_is_recognised(knowledge: KnowledgeBase) -> None:
    # Wakefield section 6: "... a referral must be made to the Local Authority Designated Officer ...".
    answer = ask(knowledge, "wakefield", "who do I ask for advice before making a referral to the designated officer?")
    assert any("Local Authority Designated Officer" in q.clause.text for q in answer.clauses)
    assert answer.contact.role == Role.LADO
    assert answer.contact.email == "lado@wakefield.example.org"


@pytest.mark.parametrize(("text", "role"), [
    ("Report it to the Designated Safeguarding Lead.", Role.DSL),
    ("Report it to the designated safeguarding lead.", Role.DSL),
    ("Tell the DSL.", Role.DSL),
    ("A referral must be made to the Local Authority Designated Officer.", Role.LADO),
    ("Inform the Senior Leadership Team immediately.", Role.SENIOR_LEADERSHIP),
    ("Contact Human Resources for advice.", Role.HR),
    ("Ask the Headteacher.", Role.HEADTEACHER),
])
def test_routing_roles_reads_role_titles_in_any_case(text: str, role: Role) -> None:
    assert routing_roles(text) == [role]


def test_it_the_pronoun_is_not_the_it_team() -> None:
    assert routing_roles("If in doubt, ask before you post it.") == []


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_the_contact_is_a_role_the_quoted_clauses_name_or_else_the_default(
    knowledge: KnowledgeBase, school_id: str
) -> None:
    config = knowledge.school(school_id).config
    for question in ORDINARY:
        answer = ask(knowledge, school_id, question)
        routed = _routed(answer, knowledge)
        if routed:
            assert answer.contact.role in routed, (question, answer.contact.role, routed)
        else:
            assert answer.contact.role == config.default_contact, question
        entry = config.contacts[answer.contact.role]
        assert (answer.contact.name, answer.contact.email) == (entry.name, entry.email)
