"""bot.text: the one tokeniser used for clauses and questions alike (words, stop words, stems).

Hand-made inputs only: what a word becomes must not depend on the sample policies.
"""
from __future__ import annotations

import pytest

from bot.text import STOP_WORDS, fold, stem, terms, words


# --- words ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the school's policy", ["the", "school", "policy"]),
        ("the pupils' photos", ["the", "pupils", "photos"]),
        ("don't post it", ["don", "post", "it"]),
        ("I'm sure they're fine", ["i", "sure", "they", "fine"]),
        ("we've said you'll see he'd go", ["we", "said", "you", "see", "he", "go"]),
    ],
)
def test_words_trims_possessives_and_contractions(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day-to-day use", ["daytoday", "use"]),
        ("on-line and e-mail", ["online", "and", "email"]),
        ("e-safety", ["esafety"]),
    ],
)
def test_words_keeps_a_hyphenated_compound_as_one_word(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_words_trims_contractions_typed_with_typographic_apostrophes() -> None:
    assert words("Don\u2019t post the head\u2019s photo") == ["don", "post", "the", "head", "photo"]
    assert words("it\u2018s `fine`") == ["it", "fine"]
    # Curly and straight apostrophes give the same words.
    assert words("the school\u2019s policy") == words("the school's policy")


def test_words_folds_accents_to_plain_letters() -> None:
    assert words("Café naïve résumé Zoë") == ["cafe", "naive", "resume", "zoe"]


def test_words_lower_cases_and_drops_punctuation() -> None:
    assert words("Can I post on FACEBOOK?! (Yes / No)") == ["can", "i", "post", "on", "facebook", "yes", "no"]
    assert words("  ...  ") == []


def test_an_apostrophe_inside_a_name_joins_the_word() -> None:
    assert words("Mrs O'Neill") == ["mrs", "oneill"]


def test_fold_lowers_case_and_folds_quotes_and_accents() -> None:
    assert fold("\u201cCafé\u201d \u2018X\u2019") == "\"cafe\" 'x'"


# --- stem -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "expected"), [("9s", "9"), ("18s", "18"), ("1990s", "1990")])
def test_stem_drops_the_plural_s_of_a_number(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stem_of_a_number_without_s_is_the_number() -> None:
    assert stem("18") == "18"


def test_stem_leaves_a_lone_s_and_letters_with_s_to_the_stemmer() -> None:
    assert stem("s") == "s"
    assert stem("y9s") != "y9"  # not a number: the Snowball stemmer decides


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (["post", "posts", "posting", "posted"], "post"),
        (["friend", "friends"], "friend"),
        (["photograph", "photographs", "photographed"], "photograph"),
    ],
)
def test_stem_makes_inflections_of_a_word_meet(variants: list[str], expected: str) -> None:
    assert {stem(v) for v in variants} == {expected}


# --- terms ------------------------------------------------------------------------------------------


def test_terms_drops_stop_words_and_stems_the_rest() -> None:
    assert terms("Can I be posting photos of my friends?") == ["post", "photo", "friend"]


def test_terms_drops_filler_of_phone_typed_questions() -> None:
    assert terms("basically I was just wondering if anyone can use phones or whatever") == ["phone"]


def test_terms_drops_single_letters_but_keeps_two_character_words() -> None:
    assert terms("a b c year 10 ok") == ["year", "10"]


def test_terms_of_an_age_band_keep_the_number() -> None:
    assert terms("under 18s") == ["18"]
    assert terms("pupils under 18") == ["pupil", "18"]


def test_terms_of_question_words_and_negations_are_empty() -> None:
    # "who do I tell" and "must not" are read apart from BM25 (bot.question), so they are stop words.
    assert terms("who must not") == []
    assert {"who", "not", "must", "should"} <= STOP_WORDS


def test_terms_are_the_same_for_a_clause_and_a_question_saying_the_same() -> None:
    clause = "Staff must not post photographs of pupils on social media."
    question = "can staff post photographs of pupils on social media?"
    assert set(terms(question)) <= set(terms(clause))
