"""Re-ranking by meaning (policybot[semantic]): the clause-vector cache and the fused ranking.

Runs only where the extra is installed (uv sync --extra semantic); the default install ranks by
words alone, which the rest of the suite covers.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot import semantic
from bot.answering import rank
from bot.knowledge import KnowledgeBase
from bot.meaning import clause_vectors, load_encoder
from bot.question import parse_question

pytestmark = pytest.mark.skipif(not semantic.available(), reason="the semantic extra is not installed")


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    found = load_encoder(True)
    assert found is not None
    return found


def test_no_encoder_when_turned_off() -> None:
    assert load_encoder(False) is None


def test_vectors_are_cached_by_the_exact_clause_texts(encoder: semantic.Encoder, knowledge: KnowledgeBase,
                                                       tmp_path: Path) -> None:
    clauses = knowledge.school("huxley").clauses[:5]
    first = clause_vectors(encoder, clauses, tmp_path)
    [cached] = list(tmp_path.glob("clauses-*.npy"))
    assert np.allclose(first, np.load(cached))
    assert np.allclose(first, clause_vectors(encoder, clauses, tmp_path))  # read back, not recomputed
    edited = [clauses[0].model_copy(update={"text": clauses[0].text + " Edited."}), *clauses[1:]]
    clause_vectors(encoder, edited, tmp_path)
    assert 2 == len(list(tmp_path.glob("clauses-*.npy")))


def test_meaning_finds_a_clause_that_shares_no_word_with_the_question(
        encoder: semantic.Encoder, knowledge: KnowledgeBase, tmp_path: Path) -> None:
    school = knowledge.school("huxley")
    vectors = clause_vectors(encoder, school.clauses, tmp_path)
    kb = replace(knowledge, encoder=encoder, schools={**knowledge.schools, "huxley": replace(school, vectors=vectors)})
    query = parse_question("is it alright to befriend mums and dads online?", kb.synonyms, kb.speller)
    huxley = kb.school("huxley")
    refs = [huxley.clauses[h.position].ref for h in rank(kb, huxley, query, huxley.index.scores(query.concepts), 3)]
    assert "4.6" in refs
