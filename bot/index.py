"""One BM25 index per school over its clauses: the clause text, plus a lighter field for context.

The context field (heading and lead-in) lets "staff must not:" help every item of its list without
letting a three-word list item outrank the clause that really answers.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from bot.models import Clause
from bot.text import terms


@dataclass(frozen=True)
class Hit:
    position: int
    score: float


class ClauseIndex:
    def __init__(self, clauses: list[Clause], context_weight: float) -> None:
        if not clauses:
            raise ValueError("cannot index a school with no clauses")
        self.clauses = clauses
        self.context_weight = context_weight
        text_terms = [terms(c.text) for c in clauses]
        context_terms = [terms(f"{c.heading} {c.lead_in or ''}") for c in clauses]
        self._text = BM25Okapi(text_terms)
        self._context = BM25Okapi(context_terms) if any(context_terms) else None
        self.clause_terms = [frozenset(t) | frozenset(c) for t, c in zip(text_terms, context_terms)]
        self._postings: dict[str, list[int]] = {}
        for position, vocabulary in enumerate(self.clause_terms):
            for term in vocabulary:
                self._postings.setdefault(term, []).append(position)
        # How rare a word is in this school's policies; a word the policies never use is rarer still.
        self.idf = {t: float(self._text.idf.get(t, 0.0)) for t in self._postings}
        self.unknown_idf = max(self.idf.values(), default=1.0)

    @property
    def vocabulary(self) -> set[str]:
        return set(self._postings)

    def weight(self, term: str) -> float:
        return max(self.idf.get(term, self.unknown_idf), 0.0) if term in self._postings else self.unknown_idf

    def search(self, query_terms: list[str], limit: int) -> list[Hit]:
        """The best-scoring clauses for these terms, best first (only clauses sharing a term)."""
        known = [t for t in query_terms if t in self._postings]
        positions = sorted({p for t in known for p in self._postings[t]})
        if not positions:
            return []
        scores = np.asarray(self._text.get_batch_scores(known, positions), dtype=float)
        if self._context is not None and self.context_weight:
            scores += self.context_weight * np.asarray(self._context.get_batch_scores(known, positions))
        order = np.argsort(-scores, kind="stable")[:limit]
        return [Hit(positions[i], float(scores[i])) for i in order]
