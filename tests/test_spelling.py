"""bot.spelling.Speller: typos of policy words are corrected; real words, stop words and short words are not.

The real speller (``knowledge.speller``) knows the sample policies' words and the synonyms' staff words;
a small hand-made one shows that corrections only ever go to the speller's own vocabulary.
"""
from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.spelling import Speller, english_words
from bot.text import STOP_WORDS


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("schol", "school"),
        ("polcy", "policy"),
        ("parnet", "parent"),
        ("freind", "friend"),
        ("frend", "friend"),
        ("acount", "account"),
        ("facebok", "facebook"),
        ("instgram", "instagram"),
        ("twiter", "twitter"),
        ("photgraphs", "photographs"),
        ("colleauge", "colleague"),
        ("headteachr", "headteacher"),
        ("safegaurding", "safeguarding"),
        ("confidentail", "confidential"),
        ("inapropriate", "inappropriate"),
    ],
)
def test_common_typos_of_policy_words_are_corrected(knowledge: KnowledgeBase, typo: str, meant: str) -> None:
    assert knowledge.speller.correct(typo) == meant


@pytest.mark.parametrize(("slang", "known"), [("dming", "dm"), ("msgs", "msg")])
def test_a_known_word_with_an_ending_added_is_that_word(
    knowledge: KnowledgeBase, slang: str, known: str
) -> None:
    assert knowledge.speller.correct(slang) == known


@pytest.mark.parametrize("word", ["dont", "youre", "thats", "everyone", "basically"])
def test_stop_words_are_left_alone(knowledge: KnowledgeBase, word: str) -> None:
    assert word in STOP_WORDS
    assert knowledge.speller.correct(word) == word


@pytest.mark.parametrize("word", ["teh", "abt", "pic", "fb"])
def test_words_under_four_letters_are_left_alone(knowledge: KnowledgeBase, word: str) -> None:
    assert knowledge.speller.correct(word) == word


@pytest.mark.parametrize("word", ["school", "laptop", "pics", "facebook", "safeguarding"])
def test_words_the_policies_or_synonyms_use_are_left_alone(knowledge: KnowledgeBase, word: str) -> None:
    assert knowledge.speller.correct(word) == word


@pytest.mark.parametrize("word", ["parking", "expenses", "holiday"])
def test_english_words_the_policies_never_use_stay_as_typed(knowledge: KnowledgeBase, word: str) -> None:
    # Not finding "parking" is how the bot knows it cannot answer: it must not become "marking".
    assert word in english_words()
    assert knowledge.speller.correct(word) == word


@pytest.mark.parametrize("word", ["y9s", "18s", "qzxwvkj", "pfthrrbl"])
def test_numbers_and_nonsense_stay_as_typed(knowledge: KnowledgeBase, word: str) -> None:
    assert knowledge.speller.correct(word) == word


def test_corrections_only_go_to_the_spellers_own_vocabulary() -> None:
    assert Speller(["school", "policy"]).correct("scool") == "school"
    assert Speller(["policy"]).correct("scool") == "scool"


def test_a_short_word_is_corrected_at_one_edit_and_a_long_one_at_two() -> None:
    speller = Speller(["school", "photograph"])
    assert speller.correct("schol") == "school"  # one edit
    assert speller.correct("schl") == "schl"  # two edits: too far for a short word
    assert speller.correct("photogrph") == "photograph"  # one edit
    assert speller.correct("phtograh") == "photograph"  # two edits in a long word
    assert speller.correct("phtgrph") == "phtgrph"  # three edits


def test_english_words_is_the_large_frequency_list() -> None:
    found = english_words()
    assert len(found) > 80_000
    assert {"parking", "school", "holiday"} <= found
