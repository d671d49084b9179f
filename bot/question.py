"""What a question asks for, in index terms: its concepts, and whether it asks who to go to."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.spelling import Speller
from bot.synonyms import Synonyms
from bot.text import STOP_WORDS, fold, stem, words

# "Who do I tell?", and "what should I do?", which policies answer by sending the reader to someone.
_WHO_TO_ASK = re.compile(
    r"\bwho\b.{0,40}\b(tell|ask|report|speak|talk|go|contact|check|inform|raise|email|message)\b"
    r"|\b(tell|ask|report|inform|notify)\b.{0,20}\b(who|someone|anyone)\b"
    r"|\bwho (?:do|should|can|must) i\b|\bwho deals\b|\bwho'?s responsible\b"
    r"|\bwhat (?:should|do|can|must) i do\b|\bwhat to do\b|\bhow (?:should|do|can) i (?:handle|deal|respond)\b"
    r"|\bshould i (?:reply|respond|report|say something|ignore)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Query:
    text: str
    # One entry per idea in the question: the question's own stem(s) and the policy stems
    # they stand for. A clause "accounts for" an idea when it contains any of them.
    concepts: tuple[tuple[str, ...], ...]
    wants_contact: bool


def parse_question(text: str, synonyms: Synonyms, speller: Speller | None = None) -> Query:
    found = words(text)
    if speller is not None:
        found = [speller.correct(w) for w in found]
    stems = [stem(w) for w in found]
    concepts: list[tuple[str, ...]] = []
    covered: set[int] = set()
    for start, end, meaning in synonyms.expand(stems):
        if end - start == 1 and found[start] in STOP_WORDS:
            continue  # "what's it like": a filler word is not the verb a synonym was written for
        # A phrase means what the synonyms say, not what its words say one by one:
        # "annual leave" is not about things done "annually".
        own = (stems[start],) if end - start == 1 and found[start] not in STOP_WORDS else ()
        concepts.append(tuple(dict.fromkeys(own + meaning)))
        covered.update(range(start, end))
    for i, word in enumerate(found):
        if i not in covered and word not in STOP_WORDS and len(word) > 1:
            concepts.append((stems[i],))
    return Query(text=text, concepts=_merged(concepts), wants_contact=bool(_WHO_TO_ASK.search(fold(text))))


def _merged(concepts: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Each idea once: when "social" has been read as the staff word "socials" (media,
    networking), the "media" that follows it is not a second idea; a repeated word counts once."""
    ideas: list[tuple[str, ...]] = []
    for concept in concepts:
        if not any(set(concept) <= set(idea) for idea in ideas):
            ideas.append(concept)
    return tuple(ideas)
