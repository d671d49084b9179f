"""Retrieval scoring: bot.index.ClauseIndex (concepts, context field, sentence field, rarity) and how
bot.answering weighs its scores (coverage, rank, the who-do-I-tell preference).

The index is checked on small hand-made clause lists whose scores can be reasoned about; coverage,
rank and the contact preference on the real sample schools, comparing behaviour rather than pinning
scores, since ranking is still being tuned.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from bot.answering import answer_question, coverage, rank
from bot.index import ClauseIndex, Hit
from bot.knowledge import KnowledgeBase, School
from bot.models import Clause
from bot.question import Query, parse_question

TODAY = date(2025, 1, 15)
SCHOOLS = ["hampshire", "herefordshire", "huxley", "st-elisabeths", "wakefield"]

# Clauses about nothing the tests ask, so that the words the tests use are rare (BM25 gives a word in
# half or more of a tiny corpus next to no weight).
FILLER = [
    "The car park closes at six every evening.",
    "Lunch is served in the hall from noon.",
    "Visitors sign in at reception on arrival.",
    "Fire drills take place once each term.",
    "Lost property is kept in the office for a month.",
    "Uniform must be worn correctly at all times.",
]


def clause(n: int, text: str, heading: str = "", lead_in: str | None = None) -> Clause:
    return Clause(id=f"test/policy.txt#{n}", school="test", policy="Policy", ref=str(n), heading=heading,
                  lead_in=lead_in, text=text)


def with_filler(*clauses: Clause) -> list[Clause]:
    return [*clauses, *(clause(100 + i, text) for i, text in enumerate(FILLER))]


# --- ClauseIndex ------------------------------------------------------------------------------------

GIFTS = with_filler(
    clause(0, "Staff must not accept gifts from parents or carers."),
    clause(1, "accept gifts", heading="Conduct", lead_in="Staff must not:"),
    clause(2, "share passwords", heading="Conduct", lead_in="Staff must not:"),
    clause(3, "Photographs of pupils may be taken on school cameras only."),
)


def test_an_index_needs_clauses() -> None:
    with pytest.raises(ValueError, match="no clauses"):
        ClauseIndex([], context_weight=0.4)


def test_only_clauses_holding_a_term_score_for_it() -> None:
    scores = ClauseIndex(GIFTS, context_weight=0.4).scores([("gift",)])
    assert scores[0] > 0 and scores[1] > 0
    assert not scores[2:].any()


def test_a_word_no_clause_uses_scores_nothing() -> None:
    index = ClauseIndex(GIFTS, context_weight=0.4)
    assert not index.scores([("zebra",)]).any()
    assert not index.scores([]).any()


def test_a_concept_counts_once_by_its_best_term() -> None:
    index = ClauseIndex(GIFTS, context_weight=0.4)
    gift, accept = index.scores([("gift",)]), index.scores([("accept",)])
    together = index.scores([("gift", "accept")])
    np.testing.assert_allclose(together, np.maximum(gift, accept))
    # Listing more policy words for one idea never outweighs the idea asked as separate words.
    assert (together <= index.scores([("gift",), ("accept",)]) + 1e-12).all()
    assert together[0] < index.scores([("gift",), ("accept",)])[0]


def test_separate_concepts_add_up() -> None:
    index = ClauseIndex(GIFTS, context_weight=0.4)
    np.testing.assert_allclose(index.scores([("gift",), ("parent",)]),
                               index.scores([("gift",)]) + index.scores([("parent",)]))


def test_a_repeated_concept_counts_each_time() -> None:
    # parse_question merges repeats; the index itself adds what it is given.
    index = ClauseIndex(GIFTS, context_weight=0.4)
    np.testing.assert_allclose(index.scores([("gift",), ("gift",)]), 2 * index.scores([("gift",)]))


def test_the_lead_in_helps_a_list_item_only_through_the_context_field() -> None:
    question = [("staff",), ("accept",), ("gift",)]
    plain = ClauseIndex(GIFTS, context_weight=0.0).scores(question)
    with_context = ClauseIndex(GIFTS, context_weight=0.4).scores(question)
    # "share passwords" under "Staff must not:" matches "staff" only through its lead-in.
    assert plain[2] == 0 and with_context[2] > 0
    assert with_context[1] > plain[1]
    # A clause whose own text holds the words gets nothing from the context field...
    assert with_context[0] == pytest.approx(plain[0])
    # ...and still outranks the three-word list item under the lead-in.
    assert with_context[0] > with_context[1]


def test_the_heading_counts_as_context() -> None:
    index = ClauseIndex(GIFTS, context_weight=0.4)
    scores = index.scores([("conduct",)])
    assert scores[1] > 0 and scores[2] > 0
    assert not np.delete(scores, [1, 2]).any()
    assert "conduct" in index.clause_terms[1]


PASSWORDS = with_filler(
    # A long clause that says it all in one short sentence...
    clause(0, "Devices are checked yearly. Software is updated by the technician. Printers are serviced "
              "each summer. Backups run nightly and are tested. Never share passwords with anyone."),
    # ...against a shorter clause whose only sentence mentions both words in passing.
    clause(1, "Staff may share the timetable with parents, and passwords for the parent portal are posted "
              "home in September with the calendar."),
)


def test_the_sentence_field_lets_one_matching_sentence_count_inside_a_long_clause() -> None:
    question = [("share",), ("password",)]
    whole = ClauseIndex(PASSWORDS, context_weight=0.4, sentence_weight=0.0).scores(question)
    passages = ClauseIndex(PASSWORDS, context_weight=0.4, sentence_weight=0.5).scores(question)
    assert whole[1] > whole[0]  # BM25's length normalisation holds the long clause back
    assert passages[0] > passages[1]


def test_the_sentence_weight_blends_the_whole_clause_and_its_best_sentence() -> None:
    question = [("share",), ("password",)]
    whole, best_sentence, half = (
        ClauseIndex(PASSWORDS, context_weight=0.4, sentence_weight=weight).scores(question)
        for weight in (0.0, 1.0, 0.5)
    )
    np.testing.assert_allclose(half, 0.5 * whole + 0.5 * best_sentence)


def test_a_semicolon_ends_a_sentence() -> None:
    long_clause = ("Devices are checked yearly; software is updated by the technician; printers are "
                   "serviced each summer; backups run nightly; never share passwords")
    one_sentence = long_clause.replace(";", ",")
    question = [("share",), ("password",)]
    split = ClauseIndex(with_filler(clause(0, long_clause)), 0.4, 1.0).scores(question)[0]
    unsplit = ClauseIndex(with_filler(clause(0, one_sentence)), 0.4, 1.0).scores(question)[0]
    assert split > unsplit


def test_weight_is_the_rarity_of_a_word_and_none_for_a_word_never_used() -> None:
    index = ClauseIndex(with_filler(
        clause(0, "Pupils may use laptops."),
        clause(1, "Pupils may use cameras."),
        clause(2, "Pupils must not use phones."),
    ), context_weight=0.4)
    assert index.weight("zebra") is None
    assert index.weight("laptop") > index.weight("pupil") > 0
    assert index.max_idf == max(index.idf.values())
    assert all(w >= 0 for w in index.idf.values())


# --- coverage and rank on a real school ---------------------------------------------------------------


@pytest.fixture(scope="module")
def huxley(knowledge: KnowledgeBase) -> School:
    return knowledge.school("huxley")


def holding(school: School, term: str, *without: str) -> int:
    """The first clause that holds ``term`` but none of ``without``."""
    return next(i for i, t in enumerate(school.index.clause_terms) if term in t and not t & set(without))


def query(*concepts: tuple[str, ...]) -> Query:
    return Query(text="", concepts=concepts, wants_contact=False)


def test_a_clause_holding_every_idea_covers_the_whole_question(huxley: School) -> None:
    position = next(i for i, t in enumerate(huxley.index.clause_terms) if {"friend", "parent"} <= t)
    assert coverage(query(("friend",), ("parent",)), huxley, Hit(position, 1.0), 1.5) == 1.0


def test_coverage_is_the_share_of_ideas_weighted_by_rarity(huxley: School) -> None:
    index = huxley.index
    rare, common = "friend", "staff"
    assert index.weight(rare) > index.weight(common)
    q = query((rare,), (common,))
    with_rare = coverage(q, huxley, Hit(holding(huxley, rare, common), 1.0), 1.5)
    with_common = coverage(q, huxley, Hit(holding(huxley, common, rare), 1.0), 1.5)
    assert with_rare == pytest.approx(index.weight(rare) / (index.weight(rare) + index.weight(common)))
    assert with_rare > 0.5 > with_common
    assert with_rare + with_common == pytest.approx(1.0)


def test_an_idea_weighs_as_much_as_its_rarest_word(huxley: School) -> None:
    index = huxley.index
    position = holding(huxley, "social", "facebook", "friend")
    assert index.weight("facebook") > index.weight("social")
    # The clause holds "social", so it accounts for the whole idea, which weighs as "facebook" does.
    q = query(("social", "facebook"), ("friend",))
    expected = index.weight("facebook") / (index.weight("facebook") + index.weight("friend"))
    assert coverage(q, huxley, Hit(position, 1.0), 1.5) == pytest.approx(expected)


def test_a_word_the_policies_never_use_weighs_more_than_their_rarest(huxley: School) -> None:
    index = huxley.index
    position = holding(huxley, "friend", "zebra")
    q = query(("friend",), ("zebra",))
    for unknown_weight in (1.0, 1.5, 3.0):
        expected = index.weight("friend") / (index.weight("friend") + unknown_weight * index.max_idf)
        assert coverage(q, huxley, Hit(position, 1.0), unknown_weight) == pytest.approx(expected)
    assert coverage(q, huxley, Hit(position, 1.0), 3.0) < coverage(q, huxley, Hit(position, 1.0), 1.0) < 0.5


def test_a_question_with_no_ideas_is_covered_by_nothing(huxley: School) -> None:
    assert coverage(query(), huxley, Hit(0, 1.0), 1.5) == 0.0


def test_an_unanswerable_question_is_poorly_covered_by_its_best_clause(
    knowledge: KnowledgeBase, huxley: School
) -> None:
    def best_coverage(question: str) -> float:
        q = parse_question(question, knowledge.synonyms, knowledge.speller)
        hits = rank(knowledge, huxley, q, huxley.index.scores(q.concepts))
        return coverage(q, huxley, hits[0], knowledge.settings.unknown_weight) if hits else 0.0

    answerable = best_coverage("can I accept a parent's friend request on facebook?")
    unanswerable = best_coverage("who do I see about getting my mileage paid for the cpd day?")
    assert answerable > knowledge.settings.min_coverage > unanswerable


def test_rank_orders_by_score_drops_zeros_and_keeps_ties_in_clause_order(knowledge: KnowledgeBase,
                                                                        huxley: School) -> None:
    assert knowledge.encoder is None  # ranking by words only
    words = np.zeros(len(huxley.clauses))
    words[[7, 3, 12, 5]] = [2.0, 5.0, 2.0, 0.5]
    hits = rank(knowledge, huxley, query(("x",)), words)
    assert hits == [Hit(3, 5.0), Hit(7, 2.0), Hit(12, 2.0), Hit(5, 0.5)]
    assert rank(knowledge, huxley, query(("x",)), words, limit=2) == [Hit(3, 5.0), Hit(7, 2.0)]
    assert rank(knowledge, huxley, query(("x",)), np.zeros(len(huxley.clauses))) == []


# --- who do I tell? (settings.contact_weight) --------------------------------------------------------


def with_contact_weight(kb: KnowledgeBase, weight: float) -> KnowledgeBase:
    return replace(kb, settings=kb.settings.model_copy(update={"contact_weight": weight}))


WHO_QUESTIONS = [
    "who do I report inappropriate content to",
    "who do I tell if a colleague posts about pupils",
    "who should I check with before posting photos of pupils",
    "who deals with complaints from parents on facebook",
]
ORDINARY = [
    "can I report inappropriate content",
    "can I accept a parent's friend request on facebook?",
    "can I post photos of pupils?",
    "can I use my personal phone to contact pupils?",
]


def top_candidate(kb: KnowledgeBase, school: School, question: str) -> int:
    """Position of the best-ranked clause (candidates are in rank order, before any re-sorting)."""
    return school.clauses.index(answer_question(kb, school, question, TODAY).candidates[0].clause)


def test_the_shipped_settings_favour_a_named_contact(knowledge: KnowledgeBase) -> None:
    assert knowledge.settings.contact_weight > 0


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_contact_weight_changes_nothing_when_the_question_does_not_ask_who(knowledge: KnowledgeBase,
                                                                           school_id: str) -> None:
    school = knowledge.school(school_id)
    favoured, flat = with_contact_weight(knowledge, 0.5), with_contact_weight(knowledge, 0.0)
    for question in ORDINARY:
        assert not parse_question(question, knowledge.synonyms).wants_contact
        assert (answer_question(favoured, school, question, TODAY)
                == answer_question(flat, school, question, TODAY)), question


@pytest.mark.parametrize(("school_id", "question"), [
    ("wakefield", "who do I report inappropriate content to"),
    ("hampshire", "who do I report inappropriate content to"),
    ("hampshire", "who do I tell if a colleague posts about pupils"),
])
def test_asking_who_to_tell_lifts_a_clause_that_names_someone(knowledge: KnowledgeBase, school_id: str,
                                                             question: str) -> None:
    school = knowledge.school(school_id)
    without = top_candidate(with_contact_weight(knowledge, 0.0), school, question)
    favoured = top_candidate(with_contact_weight(knowledge, 0.5), school, question)
    assert not school.routing[without]
    assert school.routing[favoured]


def test_the_preference_never_unseats_a_best_clause_that_already_names_someone(
    knowledge: KnowledgeBase,
) -> None:
    favoured_kb, flat_kb = with_contact_weight(knowledge, 0.5), with_contact_weight(knowledge, 0.0)
    named = {"flat": 0, "favoured": 0}
    for school in knowledge.schools.values():
        for question in WHO_QUESTIONS:
            flat = top_candidate(flat_kb, school, question)
            favoured = top_candidate(favoured_kb, school, question)
            if school.routing[flat]:
                assert favoured == flat, (school.id, question)
            named["flat"] += bool(school.routing[flat])
            named["favoured"] += bool(school.routing[favoured])
    assert named["favoured"] > named["flat"]
