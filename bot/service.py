"""The core as channels see it: ask a question, get an answer; abstentions go to HR's log.

Wired once at start-up with the knowledge base, a log and a clock; knows no platform.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from bot.answering import answer_question
from bot.knowledge import KnowledgeBase
from bot.models import Answer, Candidate, Channel, Feedback, UnansweredQuestion, Verdict
from bot.store import FeedbackLog, StoreError, UnansweredLog

log = logging.getLogger(__name__)


class PolicyBot:
    def __init__(self, knowledge: KnowledgeBase, unanswered: UnansweredLog | None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 feedback: FeedbackLog | None = None) -> None:
        self.knowledge = knowledge
        self.unanswered = unanswered
        self.feedback = feedback
        self.clock = clock

    def ask(self, school_id: str, question: str, channel: Channel, asker: str | None = None,
            record: bool = True) -> Answer:
        """Answer from ``school_id``'s own policies; log it for HR when it could not be answered."""
        school = self.knowledge.school(school_id)
        now = self.clock()
        answer = answer_question(self.knowledge, school, question, now.date())
        if not answer.answered and record and self.unanswered is not None:
            entry = UnansweredQuestion(
                created_at=now, school=school.id, question=answer.question, channel=channel,
                asker=asker if school.config.log_asker_identity else None,
                candidates=[Candidate(clause_id=q.clause.id, policy=q.clause.policy, ref=q.clause.ref,
                                      heading=q.clause.heading, score=q.score) for q in answer.candidates],
            )
            try:
                self.unanswered.add(entry)
                answer.logged = True
            except StoreError as exc:
                # The asker still gets the answer; HR loses one log line, and the operator is told.
                log.error("could not log an unanswered question for %s: %s", school.id, exc)
        return answer

    def record_feedback(self, school_id: str, question: str, verdict: Verdict, channel: Channel,
                        clause_ids: list[str], asker: str | None = None) -> bool:
        """Keep a reader's verdict on an answer; False (and an operator log line) if it could not be."""
        school = self.knowledge.school(school_id)
        if self.feedback is None:
            return False
        entry = Feedback(
            created_at=self.clock(), school=school.id, question=" ".join(question.split()), verdict=verdict,
            channel=channel, clause_ids=clause_ids, asker=asker if school.config.log_asker_identity else None,
        )
        try:
            self.feedback.add(entry)
        except StoreError as exc:
            log.error("could not store feedback for %s: %s", school.id, exc)
            return False
        return True
