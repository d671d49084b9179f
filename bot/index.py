"""One BM25 index per school over its clauses: the clause text, plus a lighter field for context.

The context field (heading and lead-in) lets "staff must not:" help every item of its list without
letting a three-word list item outrank the clause that really answers.

A question is scored by *concept*: a staff word and the policy words it stands for ("kid" →
pupil, child, student) count once, by the best of them, so a synonym list never outweighs the
rest of the question.
"""
from __future__ import annotations

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


class ClauseIndex:
    def __init__(self, clauses: list[Clause], context_weight: float) -> None:
        if not clauses:
            raise ValueError("cannot index a school with no clauses")
        self.clauses = clauses
        text_terms = [terms(c.text) for c in clauses]
        context_terms = [terms(f"{c.heading} {c.lead_in or ''}") for c in clauses]
        self.clause_terms = [frozenset(t) | frozenset(c) for t, c in zip(text_terms, context_terms)]
        lists: dict[str, list[int]] = {}
        for position, vocabulary in enumerate(self.clause_terms):
            for term in vocabulary:
                lists.setdefault(term, []).append(position)
        self._postings = {t: np.asarray(p, dtype=np.int64) for t, p in lists.items()}

        text = BM25Okapi(text_terms)
        self._weights = _term_weights(text, self._postings)
        if any(context_terms) and context_weight:
            for term, extra in _term_weights(BM25Okapi(context_terms), self._postings).items():
                self._weights[term] = self._weights[term] + context_weight * extra
        # How rare a word is in this school's policies.
        self.idf = {t: max(float(text.idf.get(t, 0.0)), 0.0) for t in self._postings}
        self.max_idf = max(self.idf.values(), default=1.0)

    def weight(self, term: str) -> float | None:
        """The term's rarity in these policies; None for a word they never use."""
        return self.idf.get(term)

    def scores(self, concepts: Sequence[Sequence[str]]) -> np.ndarray:
        """Every clause's score for the question's concepts (0 where nothing matches)."""
        total = np.zeros(len(self.clauses))
        for concept in concepts:
            best = np.zeros(len(self.clauses))
            for term in concept:
                positions = self._postings.get(term)
                if positions is not None:
                    best[positions] = np.maximum(best[positions], self._weights[term])
            total += best
        return total

    def search(self, concepts: Sequence[Sequence[str]], limit: int) -> list[Hit]:
        """The best-scoring clauses for the question's concepts, best first."""
        total = self.scores(concepts)
        matched = np.flatnonzero(total)
        order = matched[np.argsort(-total[matched], kind="stable")][:limit]
        return [Hit(int(i), float(total[i])) for i in order]
