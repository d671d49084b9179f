"""bot.synonyms.Synonyms: staff words and phrases expanded to the policy words they stand for.

Small hand-made tables, plus one check of the real ``knowledge/synonyms.yaml`` against the sample
policies. (Malformed synonym files are covered in test_knowledge.py.)
"""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import KnowledgeBase
from bot.synonyms import SYNONYMS_FILE, Synonyms
from bot.text import stem, words


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


TABLE = {
    "snap": ["snapchat", "message"],
    "snap map": ["snapchat", "location"],
    "kid": ["pupil", "child"],
    "whats app": ["whatsapp"],
}


def test_a_one_word_staff_word_expands_to_its_policy_stems() -> None:
    assert Synonyms(TABLE).expand(stems("snap")) == [(0, 1, ("snapchat", "messag"))]


def test_the_longest_phrase_wins_over_its_first_word() -> None:
    # "snap map" is about location, not about sending a snap.
    assert Synonyms(TABLE).expand(stems("is snap map ok")) == [(1, 3, ("snapchat", "locat"))]


def test_a_phrase_needs_its_words_in_order() -> None:
    assert Synonyms(TABLE).expand(stems("map snap")) == [(1, 2, ("snapchat", "messag"))]


def test_every_phrase_in_a_question_is_found_with_its_word_span() -> None:
    found = Synonyms(TABLE).expand(stems("my kid is on whats app and snap map"))
    assert found == [(1, 2, ("pupil", "child")), (4, 6, ("whatsapp",)), (7, 9, ("snapchat", "locat"))]


def test_a_staff_word_matches_in_any_inflection() -> None:
    synonyms = Synonyms({"posting": ["publish"]})
    for question in ("posts", "posted", "posting", "post"):
        assert synonyms.expand(stems(question)) == [(0, 1, ("publish",))], question


def test_keys_with_the_same_stem_share_one_entry_with_all_meanings_once() -> None:
    synonyms = Synonyms({"kid": ["pupil", "child"], "kids": ["pupils", "students"]})
    assert len(synonyms) == 1
    assert synonyms.expand(stems("kids")) == [(0, 1, ("pupil", "child", "student"))]


def test_stop_words_in_a_meaning_are_dropped_and_an_empty_meaning_drops_the_entry() -> None:
    synonyms = Synonyms({"kid": ["the pupils", "a child"], "nothing": ["the", "and"]})
    assert len(synonyms) == 1
    assert synonyms.expand(stems("kid")) == [(0, 1, ("pupil", "child"))]
    assert synonyms.expand(stems("nothing")) == []


def test_a_question_without_staff_words_expands_to_nothing() -> None:
    assert Synonyms(TABLE).expand(stems("can I post photos of pupils")) == []
    assert Synonyms({}).expand(stems("snap")) == []
    assert Synonyms(TABLE).expand([]) == []


def test_words_are_the_staff_words_as_typed() -> None:
    assert Synonyms(TABLE).words == {"snap", "map", "kid", "whats", "app"}


def test_every_real_staff_word_leads_to_a_word_some_policy_uses(
    knowledge: KnowledgeBase, knowledge_dir: Path
) -> None:
    """A synonym none of whose policy words occurs in any policy could never find a clause."""
    used = {term for school in knowledge.schools.values() for clause_terms in school.index.clause_terms
            for term in clause_terms}
    raw = yaml.safe_load((knowledge_dir / SYNONYMS_FILE).read_text(encoding="utf-8"))
    dead = []
    for phrase in raw:
        key = stems(phrase)
        found = knowledge.synonyms.expand(key)
        assert found and found[0][:2] == (0, len(key)), phrase  # the whole phrase is one entry
        if not set(found[0][2]) & used:
            dead.append(phrase)
    assert dead == []
