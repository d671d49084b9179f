"""One BM25 index per school over its clauses: the clause text, plus lighter fields for context
and for how staff have asked about it.

The context field (heading and lead-in) lets "staff must not:" help every item of its list without
letting a three-word list item outrank the clause that really answers. The examples field holds the
words of questions the clause has answered (``bot.examples``), which are often staff words the
policy never uses.

A question is scored by *concept*: a staff word and the policy words it stands for ("kid" →
pupil, child, student) count once, by the best of them, so a synonym list never outweighs the
rest of the question.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from bot.models import Clause
from bot.text import terms


@dataclass(frozen=True)
class Hit:
    position: int
    score: float


def _term_weights(bm25: BM25Okapi, postings: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """BM25's per-term score for each clause that holds the term (it does not depend on the query)."""
    return {t: np.asarray(bm25.get_batch_scores([t], list(p)), dtype=np.float64) for t, p in postings.items()}


_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n")


class _Fields:
    """BM25 weights of each term in each piece of text, with a lighter context field added."""

    def __init__(self, texts: list[list[str]], contexts: list[list[str]], context_weight: float) -> None:
        self.postings = _postings([frozenset(t) | frozenset(c) for t, c in zip(texts, contexts)])
        bm25 = BM25Okapi(texts)
        self.idf = bm25.idf
        self.weights = _term_weights(bm25, self.postings)
        if any(contexts) and context_weight:
            for term, extra in _term_weights(BM25Okapi(contexts), self.postings).items():
                self.weights[term] = self.weights[term] + context_weight * extra
        self.size = len(texts)

    def scores(self, concepts: Sequence[Sequence[str]]) -> np.ndarray:
        total = np.zeros(self.size)
        for concept in concepts:
            best = np.zeros(self.size)
            for term in concept:
                positions = self.postings.get(term)
                if positions is not None:
                    best[positions] = np.maximum(best[positions], self.weights[term])
            total += best
        return total


def _postings(vocabularies: list[frozenset[str]]) -> dict[str, np.ndarray]:
    lists: dict[str, list[int]] = {}
    for position, vocabulary in enumerate(vocabularies):
        for term in vocabulary:
            lists.setdefault(term, []).append(position)
    return {t: np.asarray(p, dtype=np.int64) for t, p in lists.items()}


class ClauseIndex:
    def __init__(self, clauses: list[Clause], context_weight: float, sentence_weight: float = 0.0,
                 examples: Sequence[Sequence[str]] = (), example_weight: float = 0.0) -> None:
        """``examples``: per clause, in clause order, questions it has answered (may be empty)."""
        if not clauses:
            raise ValueError("cannot index a school with no clauses")
        if examples and len(examples) != len(clauses):
            raise ValueError(f"{len(examples)} example lists for {len(clauses)} clauses")
        self.clauses = clauses
        text_terms = [terms(c.text) for c in clauses]
        context_terms = [terms(f"{c.heading} {c.lead_in or ''}") for c in clauses]
        self.clause_terms = [frozenset(t) | frozenset(c) for t, c in zip(text_terms, context_terms)]
        # Per clause, the words of each question it has answered (none when examples are not used).
        self.asked_terms = ([[frozenset(terms(q)) for q in asked] for asked in examples]
                            if examples and example_weight else [[] for _ in clauses])
        example_terms = [[t for asked in questions for t in asked] for questions in self.asked_terms]
        self.example_weight = example_weight
        self._examples = (
            _Fields(example_terms, [[] for _ in clauses], 0.0) if any(example_terms) else None
        )
        self._clauses = _Fields(text_terms, context_terms, context_weight)
        # How rare a word is in this school's policies.
        self.idf = {t: max(float(self._clauses.idf.get(t, 0.0)), 0.0) for t in self._clauses.postings}
        self.max_idf = max(self.idf.values(), default=1.0)

        # Passages: one matching sentence should count even inside a long clause, whose length
        # otherwise dilutes it (BM25's length normalisation is per clause).
        self.sentence_weight = sentence_weight
        owners: list[int] = []
        sentence_terms: list[list[str]] = []
        for position, clause in enumerate(clauses):
            for sentence in _SENTENCE.split(clause.text):
                if found := terms(sentence):
                    owners.append(position)
                    sentence_terms.append(found)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._sentences = (
            _Fields(sentence_terms, [context_terms[o] for o in owners], context_weight) if sentence_weight else None
        )

    def weight(self, term: str) -> float | None:
        """The term's rarity in these policies; None for a word they never use."""
        return self.idf.get(term)

    def scores(self, concepts: Sequence[Sequence[str]]) -> np.ndarray:
        """Every clause's score for the question's concepts (0 where nothing matches)."""
        total = self._clauses.scores(concepts)
        if self._sentences is not None:
            best_sentence = np.zeros(len(self.clauses))
            np.maximum.at(best_sentence, self._owners, self._sentences.scores(concepts))
            total = (1 - self.sentence_weight) * total + self.sentence_weight * best_sentence
        if self._examples is not None:
            total = total + self.example_weight * self._examples.scores(concepts)
        return total
