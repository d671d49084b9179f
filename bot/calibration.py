"""Calibrate when the bot abstains (and, with the semantic extra, how it fuses meaning), reproducibly.

For each ranking setting every question is answered once with no threshold; each candidate
threshold then only decides which of those answers would have abstained, so a sweep costs one
pass over the questions per ranking setting.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.answering import answer_question, coverage, rank
from bot.evaluation import BARS, below_bars, normalised_documents, score_normalised
from bot.knowledge import KnowledgeBase
from bot.models import Answer
from bot.question import parse_question

_STEPS = 101
_UNKNOWN_WEIGHTS = (1.0, 1.25, 1.5, 2.0, 3.0)
_SEMANTIC_WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Calibration:
    semantic: bool
    min_coverage: float
    unknown_weight: float
    semantic_weight: float
    metrics: dict[str, Any]
    met_false_abstain_bar: bool

    def settings(self) -> dict[str, float]:
        """The retrieval settings this calibration sets, by name."""
        if not self.semantic:
            return {"min_coverage": self.min_coverage, "unknown_weight": self.unknown_weight}
        return {"semantic_weight": self.semantic_weight, "semantic_min_coverage": self.min_coverage,
                "semantic_unknown_weight": self.unknown_weight}


def _abstained(answer: dict[str, Any], default_contact: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "answered": False, "clauses": [], "contact": default_contact}


# The bars the threshold and weights move (contacts, quoting and safeguarding routing they do not).
MOVED_BARS = ("hit_at_1", "hit_at_3", "abstain_on_unanswerable", "false_abstain_rate_max")


def margin(metrics: dict[str, Any]) -> float:
    """The room to the nearest of the moved bars (negative when one is missed)."""
    return min(BARS[n] - metrics[n] if n.endswith("_rate_max") else metrics[n] - BARS[n] for n in MOVED_BARS)


_Row = tuple[dict[str, Any], dict[str, Any], dict[float, float], bool]


def _unthresholded(kb: KnowledgeBase, questions: list[dict], today: date,
                   render: Callable[[Answer], dict[str, Any]]) -> list[_Row]:
    """Each question's answer with no threshold, what it would say on abstaining, and its best
    clause's coverage per unknown weight."""
    rows = []
    for q in questions:
        school = kb.school(q["school"])
        answer = answer_question(kb, school, q["question"], today)
        query = parse_question(answer.question, kb.synonyms, kb.speller)
        hits = rank(kb, school, query, school.index.scores(query.concepts), 1)
        coverages = {w: coverage(query, school, hits[0], w) if hits else 0.0 for w in _UNKNOWN_WEIGHTS}
        default = school.config.default_contact
        abstaining = {"role": default.value, **school.config.contact(default).model_dump(include={"name", "email"})}
        rows.append((render(answer), abstaining, coverages, answer.safeguarding))
    return rows


def calibrate(kb: KnowledgeBase, questions: list[dict], sources: dict[str, str], today: date,
              render: Callable[[Answer], dict[str, Any]]) -> Calibration:
    """The settings that keep false abstentions within their bar and meet the most quality bars,
    then leave the most room to the nearest of the bars they move, then give the best hit@3 +
    hit@1 + abstention on unanswerable questions; ties go to the plainer setting.

    Room before quality: a threshold that meets a bar by one question of this file will likely
    miss it on the next file, whatever it gains elsewhere."""
    semantic = kb.encoder is not None
    documents = normalised_documents(sources)
    open_settings = {"min_coverage": 0.0, "semantic_min_coverage": 0.0}
    best: tuple[tuple[Any, ...], Calibration] | None = None
    for fusion in _SEMANTIC_WEIGHTS if semantic else (kb.settings.semantic_weight,):
        trial = replace(kb, settings=kb.settings.model_copy(update={**open_settings, "semantic_weight": fusion}))
        rows = _unthresholded(trial, questions, today, render)
        for weight in _UNKNOWN_WEIGHTS:
            for step in range(_STEPS):
                threshold = step / (_STEPS - 1)
                answers = [a if (cov[weight] >= threshold or concern) else _abstained(a, default)
                           for a, default, cov, concern in rows]
                metrics = score_normalised(questions, answers, documents)
                within = metrics["false_abstain_rate_max"] <= BARS["false_abstain_rate_max"]
                met = len(BARS) - len(below_bars(metrics))
                quality = metrics["hit_at_3"] + metrics["hit_at_1"] + metrics["abstain_on_unanswerable"]
                key = (within, met, margin(metrics), quality if within else -metrics["false_abstain_rate_max"],
                       -weight, -threshold)
                if best is None or key > best[0]:
                    best = (key, Calibration(semantic, threshold, weight, fusion, metrics, within))
    assert best is not None
    return best[1]
