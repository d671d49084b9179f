"""Calibrate the abstention threshold on a question file, reproducibly.

Every question is answered once with no threshold; each candidate threshold then only decides
which of those answers would have abstained, so the sweep costs one pass over the questions.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from collections.abc import Callable
from typing import Any

from bot.answering import answer_question, coverage
from bot.evaluation import BARS, score
from bot.knowledge import KnowledgeBase
from bot.models import Answer
from bot.question import parse_question

_STEPS = 101
_UNKNOWN_WEIGHTS = (1.0, 1.25, 1.5, 2.0, 3.0)


@dataclass(frozen=True)
class Calibration:
    min_coverage: float
    unknown_weight: float
    metrics: dict[str, Any]
    met_false_abstain_bar: bool


def _abstained(answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "answered": False, "clauses": []}


def calibrate(kb: KnowledgeBase, questions: list[dict], sources: dict[str, str], today: date,
              render: Callable[[Answer], dict[str, Any]]) -> Calibration:
    """The threshold (and weight of unknown words) that abstains on the most unanswerable
    questions while keeping false abstentions within their bar; ties go to the better hit@3,
    then the plainer setting."""
    open_kb = replace(kb, settings=kb.settings.model_copy(update={"min_coverage": 0.0}))
    rows = []
    for q in questions:
        school = open_kb.school(q["school"])
        answer = answer_question(open_kb, school, q["question"], today)
        query = parse_question(answer.question, kb.synonyms, kb.speller)
        hits = school.index.search(query.concepts, 1)
        coverages = {w: coverage(query, school, hits[0], w) if hits else 0.0 for w in _UNKNOWN_WEIGHTS}
        rows.append((render(answer), coverages, answer.safeguarding))

    best: tuple[tuple[bool, float, float, float, float], Calibration] | None = None
    for weight in _UNKNOWN_WEIGHTS:
        for step in range(_STEPS):
            threshold = step / (_STEPS - 1)
            answers = [a if (cov[weight] >= threshold or concern) else _abstained(a) for a, cov, concern in rows]
            metrics = score(questions, answers, sources)
            within = metrics["false_abstain_rate_max"] <= BARS["false_abstain_rate_max"]
            key = (within, metrics["abstain_on_unanswerable"] if within else -metrics["false_abstain_rate_max"],
                   metrics["hit_at_3"], -weight, -threshold)
            if best is None or key > best[0]:
                best = (key, Calibration(threshold, weight, metrics, within))
    assert best is not None
    return best[1]
