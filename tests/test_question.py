"""bot.question.parse_question: a question's ideas (concepts) in index terms, and whether it asks who to
go to.

Mostly a small hand-made synonym table, so each test shows one rule; a few use the real synonyms and
speller of the sample knowledge base.
"""
from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.question import parse_question
from bot.spelling import Speller
from bot.synonyms import Synonyms

SYNONYMS = Synonyms({
    "kid": ["pupil", "child"],
    "socials": ["media", "networking"],
    "likes": ["endorse"],
    "annual leave": ["leave"],
    "x": ["twitter"],
    "school laptop": ["equipment"],
})
NONE = Synonyms({})


def concepts(question: str, synonyms: Synonyms = SYNONYMS) -> tuple[tuple[str, ...], ...]:
    return parse_question(question, synonyms).concepts


# --- concepts ---------------------------------------------------------------------------------------


def test_each_content_word_is_one_idea_and_stop_words_are_none() -> None:
    assert concepts("can I post photos of pupils?", NONE) == (("post",), ("photo",), ("pupil",))
    assert concepts("what is it like?", NONE) == ()


def test_a_staff_word_brings_in_the_policy_words_it_stands_for_as_one_idea() -> None:
    assert concepts("my kid") == (("kid", "pupil", "child"),)


def test_a_one_letter_staff_word_still_counts() -> None:
    # Single letters are dropped as words, but "x" is a platform.
    assert ("x", "twitter") in concepts("can I post on x")
    assert concepts("can I post on x", NONE) == (("post",),)


def test_a_stop_word_never_fires_a_one_word_synonym() -> None:
    # "like" is a stop word ("what's it like"); its stem is also that of the staff word "likes".
    assert concepts("what's it like") == ()
    assert concepts("she likes it") == (("like", "endors"),)


def test_a_phrase_means_what_the_synonyms_say_not_what_its_words_say() -> None:
    # "annual leave" is not about things done "annually": neither "annual" nor its stem is an idea.
    assert concepts("can I take annual leave") == (("leav",), ("take",))
    assert ("annual",) in concepts("can I take annual leave", NONE)


def test_an_idea_already_covered_by_a_synonym_is_not_counted_again() -> None:
    # "socials" (stem "social") stands for media and networking: the "media" after it adds nothing.
    assert concepts("is social media ok") == (("social", "media", "network"),)
    assert concepts("socials") == concepts("is social media ok")


def test_a_repeated_word_is_one_idea() -> None:
    assert concepts("photo photo photos", NONE) == (("photo",),)
    assert concepts("kid kids") == (("kid", "pupil", "child"),)


def test_the_speller_corrects_words_before_synonyms_are_read() -> None:
    speller = Speller(["school", "laptop"])
    assert parse_question("schol laptop", SYNONYMS, speller).concepts == (("equip",),)
    assert parse_question("schol laptop", SYNONYMS).concepts == (("schol",), ("laptop",))


def test_real_synonyms_read_socials_and_media_as_one_idea(knowledge: KnowledgeBase) -> None:
    query = parse_question("can I post on my socials media", knowledge.synonyms, knowledge.speller)
    with_media = [c for c in query.concepts if "media" in c]
    assert len(with_media) == 1
    assert "social" in with_media[0]


def test_real_synonyms_expand_staff_words_and_correct_typos(knowledge: KnowledgeBase) -> None:
    query = parse_question("is it ok to add a kid on facebok", knowledge.synonyms, knowledge.speller)
    assert any({"kid", "pupil"} <= set(c) for c in query.concepts)
    assert any("facebook" in c for c in query.concepts)
    assert not any("facebok" in c for c in query.concepts)


def test_the_query_keeps_the_question_text() -> None:
    assert parse_question("Can I post?", NONE).text == "Can I post?"


# --- who do I tell? ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "who do I tell",
        "Who Do I Tell?",
        "who do I ask about this",
        "who do I report it to",
        "who can I report a fake account to",
        "who should I check with before posting",
        "who should I talk to",
        "who can I speak to",
        "who should I inform",
        "who deals with complaints from parents",
        "who's responsible for the school account",
        "do I need to tell anyone",
        "should I report it to someone",
    ],
)
def test_asking_who_to_go_to_wants_a_contact(question: str) -> None:
    assert parse_question(question, NONE).wants_contact


@pytest.mark.parametrize(
    "question",
    [
        "can I post photos of pupils?",
        "can I tell pupils about my weekend",
        "can I ask parents to like the school page",
        "can I report on the match on twitter",
        "can pupils see who I follow",
        "who can see my posts",
        "whose photos can I share",
        "is it ok to check facebook at work",
        "can I go on instagram in my break",
    ],
)
def test_an_ordinary_question_does_not_want_a_contact(question: str) -> None:
    assert not parse_question(question, NONE).wants_contact
