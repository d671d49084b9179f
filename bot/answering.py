"""From a question to an answer: retrieve, decide whether the clauses answer, choose who to ask.

Pure: no I/O, no clock (the date is passed in), no platform. The bot only ever quotes.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from bot import messages
from bot.index import Hit
from bot.knowledge import KnowledgeBase, School
from bot.models import Answer, Contact, QuotedClause
from bot.question import Query, parse_question
from bot.roles import Role
from bot.safeguarding import concern
from bot.text import terms

_CANDIDATES = 20
# How many of a question's ideas a past question must share for the two to be the same question.
_RESEMBLES = 2


class QuestionError(ValueError):
    """The question cannot be asked as it is (empty, far too long); the message says why."""


def check_question(question: str) -> str:
    text = " ".join(question.split())
    if not text:
        raise QuestionError(messages.empty_question())
    if len(text) > messages.MAX_QUESTION_CHARS:
        raise QuestionError(messages.question_too_long(len(text)))
    return text


def coverage(query: Query, school: School, hit: Hit, unknown_weight: float) -> float:
    """The share of the question's ideas, weighted by rarity, that this clause accounts for.

    An idea weighs as much as its rarest word, and a word the school's policies never use weighs
    ``unknown_weight`` times their rarest: words from outside the policies are the strongest sign
    that a question is about something else ("annual leave"), unless a clause accounts for them.
    The clause may also account for ideas with the words of one question it has answered before that
    resembles this one (shares two ideas with it), never with one stray word of a question ("leaves"
    in "a mum leaves her kids home alone" says nothing about annual leave).
    """
    index = school.index
    unknown = unknown_weight * index.max_idf
    weights = [max(unknown if (w := index.weight(term)) is None else w for term in c) for c in query.concepts]
    total = sum(weights)
    if not total:
        return 0.0
    own = index.clause_terms[hit.position]

    def covered(asked: frozenset[str]) -> float:
        return sum(w for w, c in zip(weights, query.concepts) if any(t in own or t in asked for t in c))

    resembling = [asked for asked in index.asked_terms[hit.position]
                  if sum(any(t in asked for t in c) for c in query.concepts) >= _RESEMBLES]
    return max(covered(asked) for asked in (frozenset(), *resembling)) / total


def _contact(school: School, role: Role) -> Contact:
    entry = school.config.contact(role)
    chosen = role if role in school.config.contacts else school.config.default_contact
    return Contact(role=chosen, **entry.model_dump())


def _routed_role(school: School, position: int) -> Role | None:
    roles = school.routing[position]
    return roles[0] if roles else None


def _safeguarding_route(school: School, words: np.ndarray) -> Hit | None:
    """The clause that best gives the safeguarding route: one that sends the reader to the
    school's safeguarding contact if any does, then the one closest to the question (``words``)."""
    if not school.routes:
        return None
    role = school.config.safeguarding_contact
    best = max(school.routes, key=lambda i: (role in school.routing[i], bool(school.routing[i]), words[i]))
    return Hit(best, float(words[best]))


def rank(kb: KnowledgeBase, school: School, query: Query, words: np.ndarray,
         limit: int = _CANDIDATES) -> list[Hit]:
    """The school's best clauses, best first: by ``words`` (each clause's BM25 score for the
    question), and when the semantic extra is on, by words and meaning together (each scaled to
    the best clause)."""
    combined = words
    if kb.encoder is not None and school.vectors is not None:
        meaning = school.vectors @ kb.encoder.encode([query.text])[0]
        weight = kb.settings.semantic_weight
        combined = (1 - weight) * words / (words.max() or 1.0) + weight * meaning
    order = np.argsort(-combined, kind="stable")[:limit]
    return [Hit(int(i), float(combined[i])) for i in order if combined[i] > 0]


def answer_question(kb: KnowledgeBase, school: School, question: str, today: date) -> Answer:
    """Answer one question from ``school``'s own clauses only."""
    text = check_question(question)
    settings = kb.settings
    query = parse_question(text, kb.synonyms, kb.speller)
    cues = concern(text)
    if cues:
        # A child's safety comes first: the policy's words for this kind of harm join the question.
        query = replace(query, concepts=(*query.concepts, tuple(terms(cues))))
    words = school.index.scores(query.concepts)
    if query.wants_contact:
        # "Who do I tell?" is best answered by a clause that names someone.
        words = words * (1 + settings.contact_weight * school.routed)
    hits = rank(kb, school, query, words)

    chosen: list[Hit] = []
    min_coverage, unknown_weight = settings.abstention(semantic=kb.encoder is not None)
    if hits and coverage(query, school, hits[0], unknown_weight) >= min_coverage:
        top = hits[0].score
        chosen = [h for h in hits if h.score >= settings.relative_score * top][: settings.max_clauses]
        if query.wants_contact:
            chosen.sort(key=lambda h: _routed_role(school, h.position) is None)
    if cues:
        route = _safeguarding_route(school, words)
        if route:
            # Safety first: the route leads, whatever else the question matched.
            others = [h for h in chosen if h.position != route.position]
            chosen = [route, *others][: settings.max_clauses]

    quoted = [QuotedClause(clause=school.clauses[h.position], score=round(h.score, 4)) for h in chosen]
    if cues:
        role = school.config.safeguarding_contact
    else:
        named = [r for h in chosen if (r := _routed_role(school, h.position))]
        role = named[0] if named else school.config.default_contact
    contact = _contact(school, role)

    notes = [messages.safeguarding_note(contact)] if cues else []
    for title in dict.fromkeys(q.clause.policy for q in quoted):
        policy = school.policies.get(title)
        if policy and policy.review and policy.review < today:
            notes.append(messages.review_overdue(title, policy.review))
    return Answer(
        school=school.id, school_name=school.config.name, question=text, answered=bool(quoted),
        clauses=quoted, contact=contact, notes=notes, safeguarding=bool(cues),
        candidates=[QuotedClause(clause=school.clauses[h.position], score=round(h.score, 4)) for h in hits[:3]],
    )
